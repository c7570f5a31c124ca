"""Step 4: fit preprocessing and estimator as one pipeline (threshold tuned for two classes, prediction intervals
for a measurement) and save it."""

from __future__ import annotations

from typing import Any

import joblib
import pandas as pd
from numpy.typing import NDArray

from ..constants import MODEL_FILE
from ..entity.artifact_entity import (
    DataTransformationArtifact,
    ModelTrainerArtifact,
)
from ..entity.config_entity import ModelTrainerConfig
from ..inference.model import TabularModel
from ..training.custom_estimator import own_threshold
from ..training.estimators import THRESHOLD_CHOOSING_ESTIMATORS, predicting_on_one_core
from ..training.intervals import fit_with_intervals
from ..training.pipeline_builder import build_model_pipeline, fit_model_pipeline
from ..training.scoring import score_model


class ModelTrainer:
    def __init__(self, config: ModelTrainerConfig, transformation: DataTransformationArtifact) -> None:
        self.config = config
        self.transformation = transformation

    def run(self) -> ModelTrainerArtifact:
        schema = self.config.data_schema
        data = joblib.load(self.transformation.train_data_path)
        features, labels = data["features"], data["labels"]
        pipeline = build_model_pipeline(
            joblib.load(self.transformation.preprocessor_path),
            self.config.estimator,
            self.config.estimator_params,
            self.config.random_state,
            self.transformation.oversample_ratio,
            regression=schema.is_regression,
        )
        if schema.is_regression:
            model, threshold = self._fit_regressor(pipeline, features, labels), None
            train_frame = features.assign(**{schema.target: labels})
        else:
            # An estimator that picks its own threshold (the custom one) decides with it; others are tuned here.
            decides_itself = self.config.estimator in THRESHOLD_CHOOSING_ESTIMATORS
            folds = self.config.threshold_folds if self.config.tune_threshold and not decides_itself else 0
            fitted, threshold = fit_model_pipeline(
                pipeline, features, labels, self.config.metric, self.config.random_state, folds, self.config.costs
            )
            threshold = own_threshold(fitted) if decides_itself else threshold
            model = TabularModel(
                pipeline=predicting_on_one_core(fitted),
                feature_types=schema.feature_types,
                classes=schema.classes,
                positive_label=schema.positive_label,
                threshold=threshold,
            )
            train_frame = features.assign(**{schema.target: pd.Series(schema.classes).iloc[labels].to_numpy()})
        train_metrics = score_model(model, train_frame, schema.target, self.config.costs)
        # Every candidate is kept under models/experiments/<run-id>/, promoted or not.
        model_path = model.save(self.config.model_dir / MODEL_FILE)
        return ModelTrainerArtifact(
            model_path=model_path,
            estimator=self.config.estimator,
            train_metrics=train_metrics,
            threshold=threshold,
            interval=model.interval,
        )

    def _fit_regressor(self, pipeline: Any, features: pd.DataFrame, targets: NDArray[Any]) -> TabularModel:
        """Fitted on every training row, with the half-width of its prediction interval from held-out residuals."""
        coverage = self.config.interval_coverage
        fitted, half_width = fit_with_intervals(
            pipeline, features, targets, self.config.threshold_folds, coverage, self.config.random_state
        )
        return TabularModel(
            pipeline=predicting_on_one_core(fitted),
            feature_types=self.config.data_schema.feature_types,
            classes=(),
            interval=(coverage, half_width),
        )
