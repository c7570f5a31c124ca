"""Classification metrics for binary and multiclass targets, and the cost of the errors where costs are configured.

Labels arrive encoded as class indices. Binary: f1, precision and recall are those of the positive class (1).
More classes: they are macro averages, so every class counts the same however rare it is.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..entity.config_entity import LOWER_IS_BETTER, MisclassificationCosts

# The sensor sample's costs, as in the APS challenge: a missed fault (false negative) costs far more than a needless
# check (false positive). The custom estimator's loss; the metric `cost` uses model_evaluation.costs instead.
SENSOR_COSTS = MisclassificationCosts(false_positive=10.0, false_negative=500.0)

BINARY_ONLY_METRICS = frozenset({"cost"})


def row_costs(y_true: NDArray[Any], y_pred: NDArray[Any], costs: MisclassificationCosts) -> NDArray[Any]:
    """The cost of each row (binary labels, 1 = positive)."""
    false_positives = np.where((y_pred == 1) & (y_true == 0), costs.false_positive, 0.0)
    return np.asarray(false_positives + np.where((y_pred == 0) & (y_true == 1), costs.false_negative, 0.0))


def total_cost(y_true: NDArray[Any], y_pred: NDArray[Any], costs: MisclassificationCosts) -> float:
    return float(row_costs(np.asarray(y_true), np.asarray(y_pred), costs).sum())


def sensor_cost(y_true: NDArray[Any], y_pred: NDArray[Any]) -> float:
    """The total cost with the sensor sample's costs (SENSOR_COSTS)."""
    return total_cost(y_true, y_pred, SENSOR_COSTS)


def _roc_auc(y_true: NDArray[Any], probabilities: NDArray[Any], n_classes: int) -> float:
    """0.5 when undefined (a class absent from the test rows)."""
    from sklearn.metrics import roc_auc_score

    if len(np.unique(y_true)) < n_classes:
        return 0.5
    if n_classes == 2:
        return float(roc_auc_score(y_true, probabilities[:, 1]))
    return float(roc_auc_score(y_true, probabilities, multi_class="ovr", average="macro", labels=range(n_classes)))


def classification_metrics(
    y_true: NDArray[Any],
    y_pred: NDArray[Any],
    probabilities: NDArray[Any],
    costs: MisclassificationCosts | None = None,
) -> dict[str, float]:
    """Every metric of the predictions; `probabilities` has one column per class. `cost` for two classes only,
    and only with `costs` (model_evaluation.costs)."""
    # Imported here: the configuration reads this module's names, and `--help` needs no scikit-learn.
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

    n_classes = probabilities.shape[1]
    labels = list(range(n_classes))
    average = {"average": "binary", "pos_label": 1} if n_classes == 2 else {"average": "macro", "labels": labels}
    metrics = {
        "f1": float(f1_score(y_true, y_pred, zero_division=0, **average)),
        "precision": float(precision_score(y_true, y_pred, zero_division=0, **average)),
        "recall": float(recall_score(y_true, y_pred, zero_division=0, **average)),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "roc_auc": _roc_auc(y_true, probabilities, n_classes),
    }
    if n_classes == 2 and costs is not None:
        metrics["cost"] = total_cost(y_true, y_pred, costs)
    return metrics


def improvement(metric: str, candidate: float, baseline: float) -> float:
    """How much better the candidate is; positive means better, whatever the metric's direction."""
    return baseline - candidate if metric in LOWER_IS_BETTER else candidate - baseline


def standard_error(
    metric: str,
    score: float,
    y_true: NDArray[Any],
    y_pred: NDArray[Any],
    n_classes: int,
    costs: MisclassificationCosts | None = None,
) -> float:
    """How much the score would move on another test set of this size (binomial or, for cost, per-row spread).

    A score over few rows is noisy: the rows that decide it are the positives for recall and f1, the predicted
    positives for precision, about one class's share for macro averages, every row for accuracy and roc_auc.
    """
    rows = len(y_true)
    if rows < 2:
        return 0.0
    if metric == "cost":
        return float(np.std(row_costs(y_true, y_pred, costs or SENSOR_COSTS), ddof=1) * math.sqrt(rows))
    if n_classes == 2 and metric in {"f1", "recall"}:
        deciding = int(np.sum(y_true == 1))
    elif n_classes == 2 and metric == "precision":
        deciding = int(np.sum(y_pred == 1))
    elif metric in {"f1", "precision", "recall"}:
        deciding = rows // n_classes
    else:
        deciding = rows
    bounded = min(max(score, 0.0), 1.0)
    return math.sqrt(bounded * (1 - bounded) / max(deciding, 1))
