"""Step 7: promote an accepted model to models/production as a new version, atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..constants import MODEL_FILE, ONNX_MODEL_FILE, REFERENCE_PROFILE_FILE, TRAINING_ROWS_FILE
from ..constants.answers import FASTAPI_SERVING
from ..entity.artifact_entity import (
    DataIngestionArtifact,
    DataValidationArtifact,
    ModelEvaluationArtifact,
    ModelPusherArtifact,
    ModelTrainerArtifact,
)
from ..entity.config_entity import ModelPusherConfig
from ..exception import PipelineError
from ..inference.model import TabularModel
from ..registry.model_registry import (
    ModelRegistry,
    PromotionRejected,
    Regate,
)
from ..reports.model_card import MODEL_CARD_FILE, write_model_card
from ..training.splitting import content_hashes
from ..utils.files import read_json
from ..utils.frames import read_csv_file
from ..utils.run_id import utc_now


class ModelPusher:
    def __init__(
        self,
        config: ModelPusherConfig,
        registry: ModelRegistry,
        ingestion: DataIngestionArtifact,
        validation: DataValidationArtifact,
        trainer: ModelTrainerArtifact,
        evaluation: ModelEvaluationArtifact,
        regate: Regate | None = None,
    ) -> None:
        self.config = config
        self.registry = registry
        self.ingestion = ingestion
        self.validation = validation
        self.trainer = trainer
        self.evaluation = evaluation
        # Called under the registry's lock if production changed since the evaluation (see ModelRegistry.promote).
        self.regate = regate

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
            # The data contract it was trained under: predict, serve and monitor read its input with this schema.
            "data_contract": self.config.data_schema.contract,
            "data_contract_change": self.evaluation.contract_change,
            "data_schema": self.config.data_schema.as_dict(),
            "split_settings": self.config.split_settings,
            "threshold": self.trainer.threshold,
            "interval": dict(zip(("coverage", "half_width"), self.trainer.interval, strict=True))
            if self.trainer.interval
            else None,
        }
        # The profile of this training data becomes the drift reference for the next runs.
        files = {MODEL_FILE: self.trainer.model_path, REFERENCE_PROFILE_FILE: self.validation.profile_path}
        files[TRAINING_ROWS_FILE] = self._training_row_hashes()
        if FASTAPI_SERVING:
            # The server runs model.onnx when it matches scikit-learn on the test set; metadata says which runtime.
            files, metadata["serving_runtime"] = self._with_onnx_export(files)
        card = self.config.output_dir / MODEL_CARD_FILE
        measured = self.evaluation.importance_path
        importance = read_json(measured) if measured is not None else None
        files[MODEL_CARD_FILE] = write_model_card(
            card, metadata, vars(self.ingestion), self.evaluation.reason, importance
        )
        try:
            promoted = self.registry.promote(
                files, metadata, evaluated_against=self.evaluation.production_version, regate=self.regate
            )
        except PromotionRejected as rejected:
            return ModelPusherArtifact(None, None, rejected_reason=rejected.message)
        return ModelPusherArtifact(version=promoted.version, model_dir=promoted.directory)

    def _training_row_hashes(self) -> Path:
        """The hashes of the rows this model trained on, so `evaluate` can tell a file that holds some of them."""
        schema = self.config.data_schema
        train = read_csv_file(self.validation.train_path, schema.missing_values)
        path = self.config.output_dir / TRAINING_ROWS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, np.unique(content_hashes(train, schema)))
        return path

    def _with_onnx_export(self, files: dict[str, Path]) -> tuple[dict[str, Path], dict[str, Any]]:
        """model.onnx beside the model when it converts and matches (only projects that serve over HTTP have it)."""
        if FASTAPI_SERVING:
            from ..training.onnx_export import export_onnx

            model = TabularModel.load(self.trainer.model_path)
            test = read_csv_file(self.validation.test_path, self.config.data_schema.missing_values)
            export = export_onnx(model, test, self.config.output_dir / ONNX_MODEL_FILE)
            if export.path is not None:
                files = {**files, ONNX_MODEL_FILE: export.path}
            return files, export.metadata()
        return files, {}
