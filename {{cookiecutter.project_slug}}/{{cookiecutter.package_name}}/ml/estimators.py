"""Estimators selectable by name from config/model_config.yaml."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from {{ cookiecutter.package_name }}.exception import ConfigError
from {{ cookiecutter.package_name }}.ml.custom_estimator import CostSensitiveClassifier

ESTIMATORS: dict[str, Callable[..., Any]] = {
    "random_forest": RandomForestClassifier,
    "gradient_boosting": HistGradientBoostingClassifier,
    "logistic_regression": LogisticRegression,
    "cost_sensitive_forest": CostSensitiveClassifier,
}


def build_estimator(name: str, params: dict[str, Any], random_state: int) -> Any:
    """Instantiate the named estimator; unknown names and parameters fail with the valid choices."""
    if name not in ESTIMATORS:
        raise ConfigError(f"config/model_config.yaml: estimator '{name}' is not one of {', '.join(ESTIMATORS)}")
    try:
        return ESTIMATORS[name](**{"random_state": random_state, **params})
    except TypeError as exc:
        raise ConfigError(f"config/model_config.yaml: bad parameters for '{name}': {exc}") from exc
