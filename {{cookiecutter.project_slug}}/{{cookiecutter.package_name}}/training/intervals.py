"""Prediction intervals for a measurement: cross-validated conformal residuals.

Each training row is predicted by a model fitted on the other folds; the interval's half-width is the quantile of
those absolute residuals at the wanted coverage (with the finite-sample correction of split conformal prediction),
so `prediction +- half-width` holds the truth for about that share of new rows from the same distribution. The
evaluation measures the coverage it reaches on the test rows.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import KFold, cross_val_predict


def conformal_half_width(residuals: NDArray[Any], coverage: float) -> float:
    """The ceil((n + 1) * coverage)-th smallest absolute residual (the largest when that exceeds n)."""
    absolute = np.sort(np.abs(np.asarray(residuals, dtype=np.float64)))
    if not len(absolute):
        return math.nan
    rank = min(math.ceil((len(absolute) + 1) * coverage), len(absolute))
    return float(absolute[rank - 1])


def fit_with_intervals(
    pipeline: Any, features: Any, targets: NDArray[Any], folds: int, coverage: float, random_state: int
) -> tuple[Any, float]:
    """The pipeline fitted on every row, and the half-width of its `coverage` prediction interval."""
    splitter = KFold(n_splits=max(2, min(folds, len(targets))), shuffle=True, random_state=random_state)
    held_out = cross_val_predict(pipeline, features, targets, cv=splitter)
    half_width = conformal_half_width(np.asarray(targets, dtype=np.float64) - held_out, coverage)
    return clone(pipeline).fit(features, targets), half_width


def interval_coverage(truth: NDArray[Any], predicted: NDArray[Any], half_width: float) -> float:
    """The share of rows whose truth lies within the interval: what the evaluation reports against the nominal."""
    inside = np.abs(np.asarray(truth, dtype=np.float64) - np.asarray(predicted, dtype=np.float64)) <= half_width
    return float(inside.mean()) if len(inside) else math.nan
