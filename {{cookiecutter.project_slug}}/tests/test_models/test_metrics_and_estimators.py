from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from {{ cookiecutter.package_name }}.entity.config_entity import MisclassificationCosts
from {{ cookiecutter.package_name }}.training.custom_estimator import CostSensitiveClassifier
from {{ cookiecutter.package_name }}.training.estimators import (
    build_estimator,
    predicting_on_one_core,
)
from {{ cookiecutter.package_name }}.training.metrics import (
    SENSOR_COSTS,
    classification_metrics,
    improvement,
    sensor_cost,
    standard_error,
)
from {{ cookiecutter.package_name }}.training.resampling import OversampledClassifier
from {{ cookiecutter.package_name }}.training.threshold import fit_with_threshold, positive_f1


def test_sensor_cost_weighs_missed_faults_fifty_times_more() -> None:
    truth = np.array([1, 1, 0, 0])
    assert sensor_cost(truth, np.array([0, 1, 0, 0])) == 500
    assert sensor_cost(truth, np.array([1, 1, 1, 0])) == 10


def test_metrics_of_a_perfect_prediction() -> None:
    truth = np.array([0, 1, 0, 1])
    probabilities = np.column_stack([1 - truth, truth]).astype(float)
    metrics = classification_metrics(truth, truth, probabilities, SENSOR_COSTS)
    assert metrics["f1"] == metrics["roc_auc"] == 1.0
    assert metrics["cost"] == 0.0


def test_cost_only_with_configured_costs() -> None:
    # given two classes, one false positive and one missed positive
    truth, predicted = np.array([0, 1, 0, 1]), np.array([1, 0, 0, 1])
    probabilities = np.column_stack([1 - predicted, predicted]).astype(float)

    # when the metrics are computed without costs, then with costs of 2 and 7
    plain = classification_metrics(truth, predicted, probabilities)
    costed = classification_metrics(
        truth, predicted, probabilities, MisclassificationCosts(false_positive=2, false_negative=7)
    )

    # then only the second has a cost, their sum
    assert "cost" not in plain
    assert costed["cost"] == 9.0


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


def test_positive_f1_is_scikit_learns_f1_to_the_last_digit() -> None:
    rng = np.random.default_rng(0)
    cases = [(rng.integers(0, 2, size=size), rng.integers(0, 2, size=size)) for size in (1, 7, 100, 5000)]
    cases += [(np.zeros(10, dtype=int), np.zeros(10, dtype=int)), (np.ones(10, dtype=int), np.zeros(10, dtype=int))]

    for truth, predicted in cases:
        assert positive_f1(truth, predicted) == f1_score(truth, predicted, zero_division=0)


def test_the_tuned_threshold_is_the_one_scikit_learns_f1_scoring_picks() -> None:
    rng = np.random.default_rng(1)
    features = rng.normal(size=(600, 3))
    labels = (features[:, 0] + rng.normal(scale=0.8, size=600) > 1.0).astype(int)
    splitter = StratifiedKFold(n_splits=3, shuffle=True, random_state=7)
    reference = TunedThresholdClassifierCV(LogisticRegression(), scoring="f1", cv=splitter, random_state=7)

    _, threshold = fit_with_threshold(LogisticRegression(), features, labels, "f1", folds=3, random_state=7)

    assert threshold == float(reference.fit(features, labels).best_threshold_)


def test_a_forest_fitted_on_every_core_predicts_on_one() -> None:
    generator = np.random.default_rng(0)
    features = generator.normal(size=(300, 4))
    labels = (features[:, 0] > 1).astype(int)
    forest = build_estimator("random_forest", {"n_estimators": 20, "n_jobs": -1}, random_state=0)
    pipeline = Pipeline([("scale", StandardScaler()), ("estimator", OversampledClassifier(forest, 0.5, 0))])
    fitted = pipeline.fit(features, labels)
    before = fitted.predict_proba(features)
    assert fitted.named_steps["estimator"].estimator_.n_jobs == -1

    assert predicting_on_one_core(fitted) is fitted

    assert fitted.named_steps["estimator"].estimator_.n_jobs == 1
    assert np.array_equal(fitted.predict_proba(features), before)
