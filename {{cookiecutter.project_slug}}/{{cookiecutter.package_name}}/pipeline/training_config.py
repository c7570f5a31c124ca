"""Builds every component's config entity for one training run from the validated settings."""

from __future__ import annotations

from pathlib import Path

from ..configuration.settings import Settings
from ..constants import (
    DATA_INGESTION,
    DATA_TRANSFORMATION,
    DATA_VALIDATION,
    MODEL_EVALUATION,
    MODEL_PUSHER,
    MODEL_TRAINER,
    TEMPLATE_VERSION,
)
from ..constants.answers import VERSION
from ..entity.config_entity import (
    DataIngestionConfig,
    DataTransformationConfig,
    DataValidationConfig,
    ModelEvaluationConfig,
    ModelPusherConfig,
    ModelTrainerConfig,
    TrainingPipelineConfig,
)
from ..registry.model_registry import ProductionModel
from ..training.estimators import categorical_encoding


class TrainingConfiguration:
    """One object per run: each component's config entity is its validated settings section plus what this run
    adds (output folder, schema, the production model it is compared with)."""

    def __init__(self, settings: Settings, run_id: str, production: ProductionModel | None) -> None:
        self.settings = settings
        self.production = production
        storage = settings.config.storage
        self.pipeline = TrainingPipelineConfig(
            project_root=settings.project_root,
            run_id=run_id,
            artifact_dir=settings.path(storage.artifacts_dir) / run_id,
        )
        self._experiments_dir = settings.path(storage.experiments_dir)

    def _same_contract(self) -> bool:
        """Whether production was trained under this run's data contract (assumed for versions that did not keep
        their schema: they are compared as before, and scoring tells)."""
        saved = self.production.data_schema if self.production else None
        return saved is None or saved.contract == self.settings.schema.contract

    def _output_dir(self, component: str) -> Path:
        return self.pipeline.artifact_dir / component

    def data_ingestion(self) -> DataIngestionConfig:
        return DataIngestionConfig(
            **dict(self.settings.config.data_ingestion),
            output_dir=self._output_dir(DATA_INGESTION),
            data_schema=self.settings.schema,
        )

    def data_validation(self) -> DataValidationConfig:
        # Drift is measured against production's training data only under the same data contract.
        reference = self.production if self._same_contract() else None
        return DataValidationConfig(
            **dict(self.settings.config.data_validation),
            output_dir=self._output_dir(DATA_VALIDATION),
            data_schema=self.settings.schema,
            reference_profile_path=reference.profile_path if reference else None,
            reference_version=reference.version if reference else None,
        )

    def data_transformation(self) -> DataTransformationConfig:
        return DataTransformationConfig(
            **dict(self.settings.config.data_transformation),
            output_dir=self._output_dir(DATA_TRANSFORMATION),
            data_schema=self.settings.schema,
            categorical_encoding=categorical_encoding(self.settings.model.estimator),
        )

    def model_trainer(self) -> ModelTrainerConfig:
        return ModelTrainerConfig(
            **dict(self.settings.model),
            output_dir=self._output_dir(MODEL_TRAINER),
            model_dir=self._experiments_dir / self.pipeline.run_id,
            data_schema=self.settings.schema,
            metric=self.settings.config.model_evaluation.metric,
            costs=self.settings.config.model_evaluation.costs,
        )

    def model_evaluation(self) -> ModelEvaluationConfig:
        return ModelEvaluationConfig(
            **dict(self.settings.config.model_evaluation),
            output_dir=self._output_dir(MODEL_EVALUATION),
            data_schema=self.settings.schema,
            random_state=self.settings.model.random_state,
            production_model_path=self.production.model_path if self.production else None,
            production_version=self.production.version if self.production else None,
            production_schema=self.production.data_schema if self.production else None,
            split_settings=self.settings.config.data_ingestion.split_settings(),
            production_split_settings=self.production.metadata.get("split_settings") if self.production else None,
        )

    def model_pusher(self) -> ModelPusherConfig:
        return ModelPusherConfig(
            output_dir=self._output_dir(MODEL_PUSHER),
            run_id=self.pipeline.run_id,
            package_version=VERSION,
            template_version=TEMPLATE_VERSION,
            data_schema=self.settings.schema,
            split_settings=self.settings.config.data_ingestion.split_settings(),
        )
