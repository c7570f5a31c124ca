"""The typed shape of config/model_config.yaml: the estimator must exist and its parameters must be its own."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from {{ cookiecutter.package_name }}.configuration.validation import StrictSettings
from {{ cookiecutter.package_name }}.ml.estimators import ESTIMATORS, unknown_parameters


class ModelConfig(StrictSettings):
    """Which estimator `train` fits, with which seed, and the keyword arguments of each estimator."""

    estimator: str
    random_state: int = 42
    tune_threshold: bool = True
    threshold_folds: int = Field(default=3, ge=2, le=20)
    params: dict[str, dict[str, Any]] = {}

    @model_validator(mode="after")
    def _known_estimator_and_parameters(self) -> ModelConfig:
        if self.estimator not in ESTIMATORS:
            raise ValueError(f"estimator {self.estimator!r} is not one of {', '.join(ESTIMATORS)}")
        for name, params in self.params.items():
            if name not in ESTIMATORS:
                raise ValueError(f"params.{name}: no such estimator (known: {', '.join(ESTIMATORS)})")
            unknown = unknown_parameters(name, params)
            if unknown:
                raise ValueError(f"params.{name}: unknown parameters {', '.join(unknown)}")
        return self

    @property
    def estimator_params(self) -> dict[str, Any]:
        """The keyword arguments of the chosen estimator."""
        return dict(self.params.get(self.estimator, {}))
