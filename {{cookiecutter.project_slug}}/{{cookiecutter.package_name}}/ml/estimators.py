"""Estimators selectable by name from config/model_config.yaml."""

from __future__ import annotations

import inspect
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


def unknown_parameters(name: str, params: dict[str, Any]) -> list[str]:
    """Parameter names the estimator does not take, so a typo fails when the config is loaded."""
    accepted = set(inspect.signature(ESTIMATORS[name]).parameters)
    return sorted(set(params) - accepted)


def build_estimator(name: str, params: dict[str, Any], random_state: int) -> Any:
    """Instantiate the named estimator (names and parameter names were checked when the config was loaded)."""
    try:
        return ESTIMATORS[name](**{"random_state": random_state, **params})
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"config/model_config.yaml: bad parameters for '{name}': {exc}") from exc
