"""The typed shape of config/model_config.yaml: the estimator must exist and its parameters must be its own."""

from __future__ import annotations

from pydantic import model_validator

from ..entity.config_entity import ModelSettings


class ModelConfig(ModelSettings):
    """config/model_config.yaml as it is loaded: the settings of entity.ModelSettings, checked against the
    estimators this project has (here, not in the entity: the estimators live in training/, above entity/)."""

    @model_validator(mode="after")
    def _known_estimator_and_parameters(self) -> ModelConfig:
        # Imported here, not with this module: `--help` needs no scikit-learn.
        from ..training.estimators import ESTIMATORS, unknown_parameters

        if self.estimator not in ESTIMATORS:
            raise ValueError(f"estimator {self.estimator!r} is not one of {', '.join(ESTIMATORS)}")
        for section, by_estimator in (("params", self.params), ("search_space", self.search_space)):
            for name, keys in by_estimator.items():
                if name not in ESTIMATORS:
                    raise ValueError(f"{section}.{name}: no such estimator (known: {', '.join(ESTIMATORS)})")
                unknown = unknown_parameters(name, keys)
                if unknown:
                    raise ValueError(f"{section}.{name}: unknown parameters {', '.join(unknown)}")
        return self
