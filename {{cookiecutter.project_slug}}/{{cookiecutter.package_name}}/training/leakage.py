"""Columns that give the answer away: one feature alone predicts the target almost perfectly (it is the target,
another spelling of it, or a measurement taken after it). `schema` and data validation warn, naming the column.

A bounded check: at most MAX_ROWS rows, two folds; each feature alone predicts a held-out row's class as the
commonest class of the same value in the other fold (numbers: of the nearest value seen), missing as a value of its
own. A column is named when that reaches a balanced accuracy (the mean recall over classes, so a rare class counts)
of LEAK_SCORE: an honest strong feature rarely does; an ID does not, since its values are not seen twice.
A measurement (regression) is checked as its quartiles (`quartile_classes`): a column that gives those away almost
always is the measurement in another form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

MAX_ROWS = 5000
LEAK_SCORE = 0.99
MIN_ROWS = 20


@dataclass(frozen=True)
class Leak:
    column: str
    score: float

    def describe(self) -> str:
        return (
            f"{self.column} alone predicts the target (balanced accuracy {self.score:.3f} on held-out rows): "
            "is it the target itself or measured after it? If so, add it to drop_columns in config/schema.yaml"
        )


def _majority(codes: NDArray[np.intp], labels: NDArray[np.intp], n_codes: int, n_classes: int) -> NDArray[np.intp]:
    """The commonest class of each code (-1 for a code never seen)."""
    counts = np.bincount(codes * n_classes + labels, minlength=n_codes * n_classes).reshape(n_codes, n_classes)
    best = counts.argmax(axis=1)
    return np.where(counts.sum(axis=1) > 0, best, -1).astype(np.intp)


def _predict_fold(
    values: NDArray[Any], numeric: bool, labels: NDArray[np.intp], fit: NDArray[np.bool_], n_classes: int
) -> NDArray[np.intp]:
    """Classes of the rows outside `fit`, from the rows in it."""
    fallback = int(np.bincount(labels[fit], minlength=n_classes).argmax())
    codes, distinct = pd.factorize(pd.Series(values), use_na_sentinel=True)
    codes = np.where(codes < 0, len(distinct), codes)  # missing: a value of its own
    majority = _majority(codes[fit], labels[fit], len(distinct) + 1, n_classes)
    predicted = majority[codes[~fit]]
    if numeric:
        seen = np.flatnonzero(majority[: len(distinct)] >= 0)
        unseen = (predicted < 0) & (codes[~fit] < len(distinct))
        if len(seen) and unseen.any():
            points = np.asarray(distinct, dtype=float)[seen]
            order = np.argsort(points)
            points, seen = points[order], seen[order]
            wanted = np.asarray(values[~fit][unseen], dtype=float)
            right = np.clip(np.searchsorted(points, wanted), 0, len(points) - 1)
            left = np.clip(right - 1, 0, len(points) - 1)
            nearest = np.where(np.abs(points[left] - wanted) <= np.abs(points[right] - wanted), left, right)
            predicted[unseen] = majority[seen[nearest]]
    return np.where(predicted < 0, fallback, predicted)


def _balanced_accuracy(truth: NDArray[np.intp], predicted: NDArray[np.intp], n_classes: int) -> float:
    recalls = [
        float(np.mean(predicted[truth == label] == label)) for label in range(n_classes) if (truth == label).any()
    ]
    return float(np.mean(recalls)) if recalls else 0.0


def find_leaks(features: pd.DataFrame, labels: NDArray[Any], feature_types: Mapping[str, str]) -> list[Leak]:
    """The columns of `features` (typed: numbers as floats, categories as text) that alone predict `labels`
    (class indices) with a balanced accuracy of at least LEAK_SCORE, the strongest first."""
    labels = np.asarray(labels, dtype=np.intp)
    n_classes = int(labels.max()) + 1 if len(labels) else 0
    if len(labels) < MIN_ROWS or n_classes < 2:
        return []
    order = np.random.default_rng(0).permutation(len(labels))[:MAX_ROWS]
    labels = labels[order]
    first_fold = np.arange(len(order)) % 2 == 0
    leaks = []
    for column, kind in feature_types.items():
        if column not in features.columns:
            continue
        values = features[column].to_numpy()[order]
        predicted = np.empty(len(order), dtype=np.intp)
        for fit in (first_fold, ~first_fold):
            predicted[~fit] = _predict_fold(values, kind in {"numeric", "datetime"}, labels, fit, n_classes)
        score = _balanced_accuracy(labels, predicted, n_classes)
        if score >= LEAK_SCORE:
            leaks.append(Leak(column, round(score, 4)))
    return sorted(leaks, key=lambda leak: -leak.score)


def quartile_classes(values: NDArray[Any]) -> NDArray[np.intp]:
    """A measurement as four classes, its quartiles (ties stay together), for the check above."""
    numbers = np.asarray(values, dtype=np.float64)
    edges = np.unique(np.quantile(numbers, [0.25, 0.5, 0.75]))
    return np.asarray(np.searchsorted(edges, numbers, side="right"), dtype=np.intp)
