"""Classification metrics, including the sensor cost used as a custom loss."""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

# A missed fault (false negative) costs far more than a needless check (false positive),
# as in the APS sensor challenge: 10 per false positive, 500 per false negative.
FALSE_POSITIVE_COST = 10.0
FALSE_NEGATIVE_COST = 500.0

LOWER_IS_BETTER = frozenset({"cost"})
MetricName = Literal["f1", "precision", "recall", "accuracy", "roc_auc", "cost"]
METRIC_NAMES: tuple[str, ...] = get_args(MetricName)


def sensor_cost(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    false_positives = int(np.sum((y_pred == 1) & (y_true == 0)))
    false_negatives = int(np.sum((y_pred == 0) & (y_true == 1)))
    return FALSE_POSITIVE_COST * false_positives + FALSE_NEGATIVE_COST * false_negatives


def classification_metrics(y_true: np.ndarray, y_pred: np.ndarray, y_score: np.ndarray) -> dict[str, float]:
    """All metrics for binary labels encoded 1 = positive; roc_auc is NaN-free (0.5 when undefined)."""
    both_classes = len(np.unique(y_true)) == 2
    return {
        "f1": float(f1_score(y_true, y_pred, zero_division=0)),
        "precision": float(precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "roc_auc": float(roc_auc_score(y_true, y_score)) if both_classes else 0.5,
        "cost": sensor_cost(y_true, y_pred),
    }


def improvement(metric: str, candidate: float, baseline: float) -> float:
    """How much better the candidate is; positive means better, whatever the metric's direction."""
    return baseline - candidate if metric in LOWER_IS_BETTER else candidate - baseline
