from __future__ import annotations

import numpy as np
import pytest

from {{ cookiecutter.package_name }}.ml.custom_estimator import CostSensitiveClassifier
from {{ cookiecutter.package_name }}.ml.estimators import build_estimator
from {{ cookiecutter.package_name }}.ml.metrics import (
    classification_metrics,
    improvement,
    sensor_cost,
    standard_error,
)


def test_sensor_cost_weighs_missed_faults_fifty_times_more() -> None:
    truth = np.array([1, 1, 0, 0])
    assert sensor_cost(truth, np.array([0, 1, 0, 0])) == 500
    assert sensor_cost(truth, np.array([1, 1, 1, 0])) == 10


def test_metrics_of_a_perfect_prediction() -> None:
    truth = np.array([0, 1, 0, 1])
    probabilities = np.column_stack([1 - truth, truth]).astype(float)
    metrics = classification_metrics(truth, truth, probabilities)
    assert metrics["f1"] == metrics["roc_auc"] == 1.0
    assert metrics["cost"] == 0.0


def test_binary_f1_is_the_positive_class_and_multiclass_f1_the_macro_average() -> None:
    truth = np.array([0, 0, 0, 1])
    all_negative = classification_metrics(truth, np.zeros(4, dtype=int), np.tile([1.0, 0.0], (4, 1)))
    assert all_negative["f1"] == 0.0
    assert all_negative["accuracy"] == 0.75

    three = np.array([0, 1, 2, 2])
    predicted = np.array([0, 1, 2, 1])
    metrics = classification_metrics(three, predicted, np.eye(3)[predicted])
    assert metrics["f1"] == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)
    assert "cost" not in metrics


def test_standard_error_shrinks_with_more_deciding_rows() -> None:
    few = standard_error("f1", 0.8, np.array([1] * 10 + [0] * 90), np.array([1] * 10 + [0] * 90), 2)
    many = standard_error("f1", 0.8, np.array([1] * 100 + [0] * 900), np.array([1] * 100 + [0] * 900), 2)
    assert few == pytest.approx(0.4 / np.sqrt(10))
    assert many < few


def test_improvement_respects_the_metric_direction() -> None:
    assert improvement("f1", 0.9, 0.8) == pytest.approx(0.1)
    assert improvement("cost", 100.0, 300.0) == pytest.approx(200.0)


def test_cost_sensitive_classifier_picks_a_threshold() -> None:
    rng = np.random.default_rng(0)
    features = rng.normal(size=(400, 3))
    labels = (features[:, 0] + rng.normal(scale=0.5, size=400) > 1.2).astype(int)

    model = build_estimator("cost_sensitive_forest", {"base_estimator": None}, 0).fit(features, labels)

    assert isinstance(model, CostSensitiveClassifier)
    assert 0.05 <= model.threshold_ <= 0.95
    assert set(np.unique(model.predict(features))) <= {0, 1}
    assert model.predict_proba(features).shape == (400, 2)
