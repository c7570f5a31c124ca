"""The model pipeline, built and fitted in one place for `train` (the saved model) and `tune` (every trial's folds).

Preprocessing, then the estimator of model_config.yaml, wrapped in oversampling when config.yaml asks for it; one
seed (model_config.yaml's random_state) for the estimator, the oversampling and the threshold folds. So a trial of
`tune` scores the very pipeline `train` would fit with the trial's parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from numpy.typing import NDArray
from sklearn.pipeline import Pipeline

from ..entity.config_entity import MisclassificationCosts
from .estimators import build_estimator
from .resampling import OversampledClassifier
from .threshold import fit_with_threshold


def build_model_pipeline(
    preprocess: Any,
    estimator: str,
    params: Mapping[str, Any],
    random_state: int,
    oversample_ratio: float | None,
    regression: bool = False,
) -> Pipeline:
    """The unfitted Pipeline [("preprocess", preprocess), ("estimator", ...)].

    `preprocess` is the unfitted preprocessing of `training.preprocessing.build_preprocessor` (for the estimator's
    categorical encoding); `oversample_ratio` is config.yaml's minority_ratio, or None when oversample_minority is off
    (a measurement has no classes to oversample: `regression` builds the estimator's regressor).
    """
    model = build_estimator(estimator, dict(params), random_state, regression)
    if oversample_ratio and not regression:
        model = OversampledClassifier(model, oversample_ratio, random_state)
    return Pipeline([("preprocess", preprocess), ("estimator", model)])


def fit_model_pipeline(
    pipeline: Any,
    features: Any,
    labels: NDArray[Any],
    metric: str,
    random_state: int,
    threshold_folds: int,
    costs: MisclassificationCosts | None = None,
) -> tuple[Any, float | None]:
    """The pipeline fitted on all the given rows, and its decision threshold (None for more than two classes).

    `threshold_folds`: two classes, the threshold is chosen for `metric` by cross-validation with this many folds
    inside the given rows; 0 keeps the default 0.5. `train` passes model_config.yaml's threshold_folds (0 when
    tune_threshold is off). `tune` passes 0 on purpose: it already scores each trial by cross-validation, tuning a
    threshold inside each of its folds would fit every trial threshold_folds + 1 times as often, and `train` chooses
    the threshold again anyway for the parameters it is given; so a trial is scored at the default threshold.
    """
    return fit_with_threshold(pipeline, features, labels, metric, threshold_folds, random_state, costs)
