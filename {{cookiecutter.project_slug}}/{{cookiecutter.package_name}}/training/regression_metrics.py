"""Metrics of a measurement (regression): rmse, mae, r2 and, where every true value is positive, mape.

With how much each would move on another test set of this size, for the gate's margin.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray


def regression_metrics(y_true: NDArray[Any], y_pred: NDArray[Any]) -> dict[str, float]:
    """rmse, mae and r2 (0 when the truth is constant); mape only when every true value is above zero."""
    truth, predicted = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    errors = predicted - truth
    spread = float(np.sum((truth - truth.mean()) ** 2)) if len(truth) else 0.0
    metrics = {
        "rmse": float(np.sqrt(np.mean(errors**2))) if len(truth) else math.nan,
        "mae": float(np.mean(np.abs(errors))) if len(truth) else math.nan,
        "r2": 1.0 - float(np.sum(errors**2)) / spread if spread > 0 else 0.0,
    }
    if len(truth) and bool(np.all(truth > 0)):
        metrics["mape"] = float(np.mean(np.abs(errors) / truth))
    return metrics


def regression_standard_error(metric: str, y_true: NDArray[Any], y_pred: NDArray[Any]) -> float:
    """The standard error of the metric over these rows: of the mean per-row loss, through the square root for rmse
    and scaled by the truth's variance for r2."""
    truth, predicted = np.asarray(y_true, dtype=np.float64), np.asarray(y_pred, dtype=np.float64)
    rows = len(truth)
    if rows < 2:
        return 0.0
    errors = predicted - truth
    if metric == "mae":
        return float(np.std(np.abs(errors), ddof=1) / math.sqrt(rows))
    if metric == "mape":
        return float(np.std(np.abs(errors) / truth, ddof=1) / math.sqrt(rows))
    squared_error = float(np.std(errors**2, ddof=1) / math.sqrt(rows))
    if metric == "rmse":
        rmse = float(np.sqrt(np.mean(errors**2)))
        return squared_error / (2 * rmse) if rmse > 0 else 0.0
    variance = float(np.var(truth))
    return squared_error / variance if variance > 0 else 0.0
