"""Estimators selectable by name from config/model_config.yaml, each with its regressor for a measurement target."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression

from ..constants.answers import LIGHTGBM_LIBRARY, XGBOOST_LIBRARY
from ..entity.config_entity import CategoricalEncoding
from ..exception import ConfigError
from .custom_estimator import CostSensitiveClassifier

ESTIMATORS: dict[str, Callable[..., Any]] = {
    "random_forest": RandomForestClassifier,
    "gradient_boosting": HistGradientBoostingClassifier,
    "logistic_regression": LogisticRegression,
    "cost_sensitive_forest": CostSensitiveClassifier,
}
# The same names for a measurement (regression): the estimators that have a regressor, with the same parameters.
REGRESSORS: dict[str, Callable[..., Any]] = {
    "random_forest": RandomForestRegressor,
    "gradient_boosting": HistGradientBoostingRegressor,
}
# The boosting library chosen when the project was generated, when it is one of those (its dependency only then).
if LIGHTGBM_LIBRARY:
    from lightgbm import LGBMClassifier, LGBMRegressor

    ESTIMATORS["lightgbm"], REGRESSORS["lightgbm"] = LGBMClassifier, LGBMRegressor
if XGBOOST_LIBRARY:
    from xgboost import XGBClassifier, XGBRegressor

    ESTIMATORS["xgboost"], REGRESSORS["xgboost"] = XGBClassifier, XGBRegressor
# Estimators that choose their own decision threshold: `train` keeps it instead of tuning one.
THRESHOLD_CHOOSING_ESTIMATORS = frozenset({"cost_sensitive_forest"})
# Libraries that split on categories themselves get pandas `category` columns (missing when unseen);
# the others get one-hot columns.
NATIVE_CATEGORICAL = frozenset({"lightgbm", "xgboost"})
# Parameters a library needs to read `category` columns natively (LightGBM reads them without any);
# model_config.yaml can still override them.
NATIVE_CATEGORICAL_PARAMS: dict[str, dict[str, Any]] = {
    "xgboost": {"enable_categorical": True, "tree_method": "hist"},
}


def categorical_encoding(name: str) -> CategoricalEncoding:
    return "native" if name in NATIVE_CATEGORICAL else "onehot"


def unknown_parameters(name: str, params: Mapping[str, Any]) -> list[str]:
    """Parameter names the estimator does not take, so a typo fails when the config is loaded.

    Estimators whose constructor takes **kwargs pass extra names on to their library (which knows its own
    names and aliases), so only scikit-learn-style estimators are checked here.
    """
    factory = ESTIMATORS[name]
    takes_any = any(
        parameter.kind is inspect.Parameter.VAR_KEYWORD for parameter in inspect.signature(factory).parameters.values()
    )
    if takes_any:
        return []
    return sorted(set(params) - set(factory().get_params(deep=False)))


def build_estimator(name: str, params: dict[str, Any], random_state: int, regression: bool = False) -> Any:
    """Instantiate the named estimator, or its regressor (names and parameter names were checked when the config was
    loaded)."""
    if regression and name not in REGRESSORS:
        raise ConfigError(
            f"config/model_config.yaml: estimator '{name}' is for classes; for a measurement choose one of "
            f"{', '.join(REGRESSORS)}"
        )
    factory = REGRESSORS[name] if regression else ESTIMATORS[name]
    try:
        return factory(**{"random_state": random_state, **NATIVE_CATEGORICAL_PARAMS.get(name, {}), **params})
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"config/model_config.yaml: bad parameters for '{name}': {exc}") from exc


def predicting_on_one_core(fitted: Any) -> Any:
    """`fitted`, with every ensemble inside it set to predict on one core (returned for chaining).

    `n_jobs` in model_config.yaml is for fitting, but a fitted forest keeps it for predicting too, where starting
    its thread pool costs ~20 ms a call: far more than scoring one record. Batch prediction spreads chunks over
    the cores itself.
    """
    inner = [step for _, step in getattr(fitted, "steps", [])]
    if hasattr(fitted, "estimator_"):
        inner.append(fitted.estimator_)
    for step in inner:
        predicting_on_one_core(step)
    if hasattr(fitted, "estimators_") and getattr(fitted, "n_jobs", 1) != 1:
        fitted.n_jobs = 1
    return fitted
