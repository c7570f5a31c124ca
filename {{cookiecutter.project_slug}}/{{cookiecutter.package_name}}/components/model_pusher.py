"""Step 7: promote an accepted model to models/production as a new version, atomically."""

from __future__ import annotations

from {{ cookiecutter.package_name }}.constants import METADATA_FILE, MODEL_FILE, REFERENCE_PROFILE_FILE
from {{ cookiecutter.package_name }}.entity.artifact_entity import (
    DataIngestionArtifact,
    DataValidationArtifact,
    ModelEvaluationArtifact,
    ModelPusherArtifact,
    ModelTrainerArtifact,
)
from {{ cookiecutter.package_name }}.entity.config_entity import ModelPusherConfig
from {{ cookiecutter.package_name }}.exception import PipelineError
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry
from {{ cookiecutter.package_name }}.reports.model_card import MODEL_CARD_FILE, write_model_card
from {{ cookiecutter.package_name }}.utils.run_id import utc_now


class ModelPusher:
    def __init__(
        self,
        config: ModelPusherConfig,
        registry: ModelRegistry,
        ingestion: DataIngestionArtifact,
        validation: DataValidationArtifact,
        trainer: ModelTrainerArtifact,
        evaluation: ModelEvaluationArtifact,
    ) -> None:
        self.config = config
        self.registry = registry
        self.ingestion = ingestion
        self.validation = validation
        self.trainer = trainer
        self.evaluation = evaluation

    def run(self) -> ModelPusherArtifact:
        if not self.evaluation.accepted:
            raise PipelineError(f"refusing to push a rejected model: {self.evaluation.reason}")
        metadata = {
            "run_id": self.config.run_id,
            "created_at": utc_now(),
            "estimator": self.trainer.estimator,
            "metric": self.evaluation.metric,
            "metrics": self.evaluation.candidate_metrics,
            "previous_version": self.evaluation.production_version,
            "training_data_fingerprint": self.ingestion.data_fingerprint,
            "package_version": self.config.package_version,
            "template_version": self.config.template_version,
        }
        # The profile of this training data becomes the drift reference for the next runs.
        files = {MODEL_FILE: self.trainer.model_path, REFERENCE_PROFILE_FILE: self.validation.profile_path}
        card = self.config.output_dir / MODEL_CARD_FILE
        files[MODEL_CARD_FILE] = write_model_card(card, metadata, vars(self.ingestion), self.evaluation.reason)
        promoted = self.registry.promote(files, metadata)
        return ModelPusherArtifact(
            version=promoted.version,
            model_dir=promoted.directory,
            metadata_path=promoted.directory / METADATA_FILE,
        )
