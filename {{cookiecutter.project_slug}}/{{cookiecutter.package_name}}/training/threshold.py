"""Fitting the model and, for two classes, tuning its decision threshold on held-out training rows.

The threshold is chosen by cross-validation inside the training rows (never on the test set), for the metric
the evaluation gate uses; the final pipeline is then refitted on all training rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.metrics import make_scorer
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from ..entity.config_entity import MisclassificationCosts
from .metrics import SENSOR_COSTS, total_cost

try:  # scikit-learn >= 1.5
    from sklearn.model_selection import TunedThresholdClassifierCV
except ImportError:  # pragma: no cover - older scikit-learn: the same idea by hand below
    TunedThresholdClassifierCV = None

DEFAULT_THRESHOLD = 0.5


def positive_f1(y_true: NDArray[Any], y_pred: NDArray[Any]) -> float:
    """The f1 of class 1 as scikit-learn's `f1_score` computes it (2·tp / (true + predicted positives), 0 when
    there are none), without its input checks: tuning scores 100 thresholds in every fold, and those checks took
    a quarter of a sample `train`."""
    actual, predicted = np.asarray(y_true) == 1, np.asarray(y_pred) == 1
    positives = int(actual.sum()) + int(predicted.sum())
    return 2 * int(np.sum(actual & predicted)) / positives if positives else 0.0


def _objective(metric: str, costs: MisclassificationCosts | None) -> tuple[Any, Any]:
    """(scorer for TunedThresholdClassifierCV, score function for the manual search); higher is better."""
    if metric == "cost":
        weights = costs or SENSOR_COSTS  # the settings refuse the metric cost without costs
        return make_scorer(total_cost, greater_is_better=False, costs=weights), lambda y, p: -total_cost(y, p, weights)
    if metric == "accuracy":
        return "accuracy", lambda y, p: float(np.mean(y == p))
    # precision, recall and roc_auc are maximised by a degenerate threshold or not at all: tune for f1.
    return make_scorer(positive_f1), positive_f1


def fit_with_threshold(
    pipeline: Any,
    features: Any,
    labels: NDArray[Any],
    metric: str,
    folds: int,
    random_state: int,
    costs: MisclassificationCosts | None = None,
) -> tuple[Any, float | None]:
    """The fitted pipeline and its threshold (None for more than two classes or when tuning is off); `costs` are
    those of the metric cost."""
    smallest_class = int(np.bincount(labels).min()) if len(labels) else 0
    folds = min(folds, smallest_class)
    if len(np.unique(labels)) != 2 or folds < 2:
        return clone(pipeline).fit(features, labels), (DEFAULT_THRESHOLD if len(np.unique(labels)) == 2 else None)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    scorer, score = _objective(metric, costs)
    if TunedThresholdClassifierCV is not None:
        tuned = TunedThresholdClassifierCV(pipeline, scoring=scorer, cv=splitter, random_state=random_state)
        tuned.fit(features, labels)
        return tuned.estimator_, float(tuned.best_threshold_)
    held_out = cross_val_predict(pipeline, features, labels, cv=splitter, method="predict_proba")[:, 1]
    candidates = np.linspace(0.01, 0.99, 99)
    scores = [score(labels, (held_out >= threshold).astype(int)) for threshold in candidates]
    return clone(pipeline).fit(features, labels), float(candidates[int(np.argmax(scores))])
