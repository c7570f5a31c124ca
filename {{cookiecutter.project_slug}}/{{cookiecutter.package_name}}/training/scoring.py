"""Scoring a saved model, and the trivial baselines it must beat, on one labelled frame (classes or a measurement)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.dummy import DummyClassifier, DummyRegressor

from ..entity.config_entity import MisclassificationCosts
from ..inference.labels import encode_labels, measured_values
from ..inference.model import TabularModel
from .metrics import classification_metrics, improvement
from .regression_metrics import regression_metrics


@dataclass(frozen=True)
class Scored:
    metrics: dict[str, float]
    truth: NDArray[Any]
    predicted: NDArray[Any]


def score_predictions(
    model: TabularModel, frame: pd.DataFrame, target: str, costs: MisclassificationCosts | None = None
) -> Scored:
    """Metrics of the model on a labelled frame (labels compared in the model's class order); `cost` with `costs`.
    A measurement's `truth` and `predicted` are the values themselves."""
    if model.is_regression:
        values = measured_values(frame, target)
        estimated = model.predict_values(frame)
        return Scored(regression_metrics(values, estimated), values, estimated)
    truth = encode_labels(frame[target], model.classes)
    probabilities = model.predict_proba(frame)
    predicted = encode_labels(pd.Series(model.labels_from_probabilities(probabilities)), model.classes)
    return Scored(classification_metrics(truth, predicted, probabilities, costs), truth, predicted)


def score_model(
    model: TabularModel, frame: pd.DataFrame, target: str, costs: MisclassificationCosts | None = None
) -> dict[str, float]:
    return score_predictions(model, frame, target, costs).metrics


def baseline_scores(
    train_labels: NDArray[Any],
    test_labels: NDArray[Any],
    classes: Sequence[str],
    metric: str,
    random_state: int,
    costs: MisclassificationCosts | None = None,
) -> tuple[str, dict[str, float]]:
    """The best trivial predictor (DummyClassifier) on the test rows, by `metric`: what any model must beat.

    Always the majority class, always one given class, random by the class shares, uniformly random.
    """
    strategies: list[tuple[str, dict[str, Any]]] = [
        ("most_frequent", {"strategy": "most_frequent"}),
        ("stratified", {"strategy": "stratified", "random_state": random_state}),
        ("uniform", {"strategy": "uniform", "random_state": random_state}),
        *(
            (f"always {classes[index]}", {"strategy": "constant", "constant": index})
            for index in np.unique(train_labels)
        ),
    ]
    n_classes = len(classes)
    placeholder = np.zeros((len(train_labels), 1))
    best: tuple[str, dict[str, float]] | None = None
    for name, options in strategies:
        dummy = DummyClassifier(**options).fit(placeholder, train_labels)
        probabilities = np.zeros((len(test_labels), n_classes))
        probabilities[:, dummy.classes_] = dummy.predict_proba(np.zeros((len(test_labels), 1)))
        predicted = dummy.predict(np.zeros((len(test_labels), 1)))
        metrics = classification_metrics(test_labels, predicted, probabilities, costs)
        if best is None or improvement(metric, metrics[metric], best[1][metric]) > 0:
            best = (name, metrics)
    if best is None:
        raise ValueError("no baseline strategy to compare with")
    return best


def regression_baseline_scores(
    train_targets: NDArray[Any], test_targets: NDArray[Any], metric: str
) -> tuple[str, dict[str, float]]:
    """The best trivial predictor (DummyRegressor) of a measurement on the test rows, by `metric`: always the
    training rows' mean, or always their median."""
    best: tuple[str, dict[str, float]] | None = None
    placeholder = np.zeros((len(train_targets), 1))
    for strategy in ("mean", "median"):
        dummy = DummyRegressor(strategy=strategy).fit(placeholder, train_targets)
        metrics = regression_metrics(test_targets, dummy.predict(np.zeros((len(test_targets), 1))))
        if best is None or improvement(metric, metrics.get(metric, np.nan), best[1].get(metric, np.nan)) > 0:
            best = (f"always the {strategy}", metrics)
    if best is None:
        raise ValueError("no baseline strategy to compare with")
    return best
