"""A custom estimator: a classifier whose decision threshold minimises the sensor cost (the custom loss).

Select it with `estimator: cost_sensitive_forest` in config/model_config.yaml; write your own estimators here
and register them in training/estimators.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

from .metrics import sensor_cost


# scikit-learn has no type information, so its base classes are Any to mypy.
class CostSensitiveClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Fits the base estimator, then picks the probability threshold with the lowest cost on held-out rows.

    The saved model decides with that threshold (`own_threshold`): `train` does not tune another one over it.
    """

    def __init__(
        self,
        base_estimator: BaseEstimator | None = None,
        validation_fraction: float = 0.25,
        random_state: int = 42,
    ) -> None:
        self.base_estimator = base_estimator
        self.validation_fraction = validation_fraction
        self.random_state = random_state

    def _base(self) -> BaseEstimator:
        if self.base_estimator is not None:
            return clone(self.base_estimator)
        return RandomForestClassifier(n_estimators=100, random_state=self.random_state)

    def fit(self, features: NDArray[Any], labels: NDArray[Any]) -> CostSensitiveClassifier:
        fit_x, check_x, fit_y, check_y = train_test_split(
            features, labels, test_size=self.validation_fraction, stratify=labels, random_state=self.random_state
        )
        scores = self._base().fit(fit_x, fit_y).predict_proba(check_x)[:, 1]
        thresholds = np.linspace(0.05, 0.95, 19)
        costs = [sensor_cost(check_y, (scores >= threshold).astype(int)) for threshold in thresholds]
        self.threshold_ = float(thresholds[int(np.argmin(costs))])
        self.estimator_ = self._base().fit(features, labels)
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, features: NDArray[Any]) -> NDArray[Any]:
        return np.asarray(self.estimator_.predict_proba(features))

    def predict(self, features: NDArray[Any]) -> NDArray[Any]:
        return (self.predict_proba(features)[:, 1] >= self.threshold_).astype(int)


def own_threshold(fitted: Any) -> float | None:
    """The threshold a fitted pipeline's estimator chose itself (inside an oversampling wrapper too), if it did."""
    estimator = fitted.steps[-1][1] if hasattr(fitted, "steps") else fitted
    for candidate in (estimator, getattr(estimator, "estimator_", None)):
        if isinstance(candidate, CostSensitiveClassifier):
            return float(candidate.threshold_)
    return None
