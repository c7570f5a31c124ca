"""Builds every component's config entity for one training run from the settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from {{ cookiecutter.package_name }} import __version__
from {{ cookiecutter.package_name }}.cloud_storage.model_registry import ProductionModel
from {{ cookiecutter.package_name }}.configuration.settings import Settings
{%- if cookiecutter.artifact_storage == "s3" %}
from {{ cookiecutter.package_name }}.configuration.storage import remote_storage_config
{%- endif %}
from {{ cookiecutter.package_name }}.constants import (
    DATA_INGESTION,
    DATA_TRANSFORMATION,
    DATA_VALIDATION,
    MODEL_EVALUATION,
    MODEL_PUSHER,
    MODEL_TRAINER,
    TEMPLATE_VERSION,
)
from {{ cookiecutter.package_name }}.entity.config_entity import (
    DataIngestionConfig,
    DataTransformationConfig,
    DataValidationConfig,
    ModelEvaluationConfig,
    ModelPusherConfig,
    ModelTrainerConfig,
    TrainingPipelineConfig,
)
from {{ cookiecutter.package_name }}.exception import ConfigError


class TrainingConfiguration:
    """One object per run: the only place that maps config keys to component inputs."""

    def __init__(self, settings: Settings, run_id: str, production: ProductionModel | None) -> None:
        storage = settings.section("storage")
        self.settings = settings
        self.production = production
        self.pipeline = TrainingPipelineConfig(
            project_root=settings.project_root,
            run_id=run_id,
            artifact_dir=settings.path(storage["artifacts_dir"]) / run_id,
        )
        self._experiments_dir = settings.path(storage["experiments_dir"])
        self._production_dir = settings.path(storage["production_dir"])

    def _output_dir(self, component: str) -> Path:
        return self.pipeline.artifact_dir / component

    def data_ingestion(self) -> DataIngestionConfig:
        section = self.settings.section("data_ingestion")
        return DataIngestionConfig(
            output_dir=self._output_dir(DATA_INGESTION),
            schema=self.settings.schema,
            test_size=_number(section, "test_size", 0.0, 1.0),
            random_state=int(section["random_state"]),
        )

    def data_validation(self) -> DataValidationConfig:
        section = self.settings.section("data_validation")
        drift = section.get("drift", {})
        return DataValidationConfig(
            output_dir=self._output_dir(DATA_VALIDATION),
            schema=self.settings.schema,
            max_missing_fraction=_number(section, "max_missing_fraction", 0.0, 1.0),
            psi_threshold=_number(drift, "psi_threshold", 0.0, 100.0),
            max_drifted_share=_number(drift, "max_drifted_share", 0.0, 1.0),
            fail_on_drift=bool(drift.get("fail_on_drift", False)),
            reference_profile_path=self.production.profile_path if self.production else None,
            reference_version=self.production.version if self.production else None,
        )

    def data_transformation(self) -> DataTransformationConfig:
        section = self.settings.section("data_transformation")
        return DataTransformationConfig(
            output_dir=self._output_dir(DATA_TRANSFORMATION),
            schema=self.settings.schema,
            oversample_minority=bool(section["oversample_minority"]),
            minority_ratio=_number(section, "minority_ratio", 0.0, 1.0),
            random_state=int(section["random_state"]),
        )

    def model_trainer(self) -> ModelTrainerConfig:
        model = self.settings.model
        name = model.get("estimator")
        if not name:
            raise ConfigError("config/model_config.yaml has no 'estimator'")
        return ModelTrainerConfig(
            output_dir=self._output_dir(MODEL_TRAINER),
            model_dir=self._experiments_dir / self.pipeline.run_id,
            schema=self.settings.schema,
            estimator=str(name),
            random_state=int(model.get("random_state", 42)),
            params=dict((model.get("params") or {}).get(name) or {}),
        )

    def model_evaluation(self) -> ModelEvaluationConfig:
        section = self.settings.section("model_evaluation")
        return ModelEvaluationConfig(
            output_dir=self._output_dir(MODEL_EVALUATION),
            schema=self.settings.schema,
            metric=str(section["metric"]),
            min_score=float(section["min_score"]),
            min_improvement=float(section["min_improvement"]),
            production_model_path=self.production.model_path if self.production else None,
            production_version=self.production.version if self.production else None,
        )

    def model_pusher(self) -> ModelPusherConfig:
        return ModelPusherConfig(
            output_dir=self._output_dir(MODEL_PUSHER),
            production_dir=self._production_dir,
            run_id=self.pipeline.run_id,
            package_version=__version__,
            template_version=TEMPLATE_VERSION,
{%- if cookiecutter.artifact_storage == "s3" %}
            remote=remote_storage_config(self.settings),
{%- endif %}
        )


def _number(section: dict[str, Any], key: str, low: float, high: float) -> float:
    """A numeric setting inside [low, high]; the error names the key and the allowed range."""
    try:
        value = float(section[key])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"config/config.yaml: '{key}' must be a number") from exc
    if not low <= value <= high:
        raise ConfigError(f"config/config.yaml: '{key}' is {value}, expected between {low} and {high}")
    return value
