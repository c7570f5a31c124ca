"""Builds every component's config entity for one training run from the validated settings."""

from __future__ import annotations

from pathlib import Path

from .. import __version__
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
    """One object per run: the only place that maps settings to component inputs (already validated)."""

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

    def _output_dir(self, component: str) -> Path:
        return self.pipeline.artifact_dir / component

    def data_ingestion(self) -> DataIngestionConfig:
        section = self.settings.config.data_ingestion
        return DataIngestionConfig(
            output_dir=self._output_dir(DATA_INGESTION),
            schema=self.settings.schema,
            test_size=section.test_size,
            random_state=section.random_state,
            key_column=section.key_column,
        )

    def data_validation(self) -> DataValidationConfig:
        section = self.settings.config.data_validation
        return DataValidationConfig(
            output_dir=self._output_dir(DATA_VALIDATION),
            schema=self.settings.schema,
            max_missing_fraction=section.max_missing_fraction,
            psi_threshold=section.drift.psi_threshold,
            max_drifted_share=section.drift.max_drifted_share,
            fail_on_drift=section.drift.fail_on_drift,
            missing_share_threshold=section.drift.missing_share_threshold,
            reference_profile_path=self.production.profile_path if self.production else None,
            reference_version=self.production.version if self.production else None,
        )

    def data_transformation(self) -> DataTransformationConfig:
        section = self.settings.config.data_transformation
        return DataTransformationConfig(
            output_dir=self._output_dir(DATA_TRANSFORMATION),
            schema=self.settings.schema,
            oversample_minority=section.oversample_minority,
            minority_ratio=section.minority_ratio,
            random_state=section.random_state,
            categorical_encoding=categorical_encoding(self.settings.model.estimator),
        )

    def model_trainer(self) -> ModelTrainerConfig:
        model = self.settings.model
        return ModelTrainerConfig(
            output_dir=self._output_dir(MODEL_TRAINER),
            model_dir=self._experiments_dir / self.pipeline.run_id,
            schema=self.settings.schema,
            estimator=model.estimator,
            random_state=model.random_state,
            params=model.estimator_params,
            metric=self.settings.config.model_evaluation.metric,
            tune_threshold=model.tune_threshold,
            threshold_folds=model.threshold_folds,
        )

    def model_evaluation(self) -> ModelEvaluationConfig:
        section = self.settings.config.model_evaluation
        return ModelEvaluationConfig(
            output_dir=self._output_dir(MODEL_EVALUATION),
            schema=self.settings.schema,
            metric=section.metric,
            min_score=section.min_score,
            min_improvement=section.min_improvement,
            standard_errors=section.standard_errors,
            random_state=self.settings.model.random_state,
            production_model_path=self.production.model_path if self.production else None,
            production_version=self.production.version if self.production else None,
        )

    def model_pusher(self) -> ModelPusherConfig:
        return ModelPusherConfig(
            output_dir=self._output_dir(MODEL_PUSHER),
            run_id=self.pipeline.run_id,
            package_version=__version__,
            template_version=TEMPLATE_VERSION,
            missing_values=self.settings.schema.missing_values,
        )
