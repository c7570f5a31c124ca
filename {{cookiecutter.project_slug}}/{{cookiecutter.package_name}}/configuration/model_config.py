"""The typed shape of config/model_config.yaml: the estimator must exist and its parameters must be its own."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .validation import StrictSettings


class SearchDimension(StrictSettings):
    """One hyperparameter `tune` searches: a number range (`log` for scale-like ones) or a list of choices."""

    type: Literal["int", "float", "categorical"]
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: list[Any] | None = None

    @model_validator(mode="after")
    def _range_or_choices(self) -> SearchDimension:
        if self.type == "categorical":
            if not self.choices:
                raise ValueError("a categorical dimension needs a non-empty list of choices")
        elif self.low is None or self.high is None or not self.low < self.high:
            raise ValueError(f"an {self.type} dimension needs low < high")
        elif self.log and self.low <= 0:
            raise ValueError("a log-scaled dimension needs low > 0")
        return self


class ModelConfig(StrictSettings):
    """Which estimator `train` fits, with which seed, the keyword arguments of each estimator, and what `tune`
    searches for each."""

    estimator: str
    random_state: int = 42
    tune_threshold: bool = True
    threshold_folds: int = Field(default=3, ge=2, le=20)
    params: dict[str, dict[str, Any]] = Field(default_factory=dict)
    search_space: dict[str, dict[str, SearchDimension]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_estimator_and_parameters(self) -> ModelConfig:
        # Imported here, not with this module: `--help` needs no scikit-learn.
        from ..training.estimators import ESTIMATORS, unknown_parameters

        if self.estimator not in ESTIMATORS:
            raise ValueError(f"estimator {self.estimator!r} is not one of {', '.join(ESTIMATORS)}")
        for name, params in self.params.items():
            if name not in ESTIMATORS:
                raise ValueError(f"params.{name}: no such estimator (known: {', '.join(ESTIMATORS)})")
            unknown = unknown_parameters(name, params)
            if unknown:
                raise ValueError(f"params.{name}: unknown parameters {', '.join(unknown)}")
        for name, space in self.search_space.items():
            if name not in ESTIMATORS:
                raise ValueError(f"search_space.{name}: no such estimator (known: {', '.join(ESTIMATORS)})")
            unknown = unknown_parameters(name, space)
            if unknown:
                raise ValueError(f"search_space.{name}: unknown parameters {', '.join(unknown)}")
        return self

    @property
    def estimator_params(self) -> dict[str, Any]:
        """The keyword arguments of the chosen estimator."""
        return dict(self.params.get(self.estimator, {}))
