"""Step 4: fit the configured estimator and save it with its preprocessing as one candidate model."""

from __future__ import annotations

import joblib
import numpy as np

from {{ cookiecutter.package_name }}.constants import MODEL_FILE
from {{ cookiecutter.package_name }}.entity.artifact_entity import DataTransformationArtifact, ModelTrainerArtifact
from {{ cookiecutter.package_name }}.entity.config_entity import ModelTrainerConfig
from {{ cookiecutter.package_name }}.ml.estimators import build_estimator
from {{ cookiecutter.package_name }}.ml.metrics import classification_metrics
from {{ cookiecutter.package_name }}.ml.model import SensorModel


class ModelTrainer:
    def __init__(self, config: ModelTrainerConfig, transformation: DataTransformationArtifact) -> None:
        self.config = config
        self.transformation = transformation

    def run(self) -> ModelTrainerArtifact:
        schema = self.config.schema
        with np.load(self.transformation.train_arrays_path) as arrays:
            features, labels = arrays["features"], arrays["labels"]
        estimator = build_estimator(self.config.estimator, self.config.params, self.config.random_state)
        estimator.fit(features, labels)
        train_metrics = classification_metrics(
            labels, estimator.predict(features).astype(int), estimator.predict_proba(features)[:, 1]
        )
        model = SensorModel(
            preprocessor=joblib.load(self.transformation.preprocessor_path),
            estimator=estimator,
            feature_columns=schema.feature_columns,
            positive_label=schema.positive_label,
            negative_label=schema.negative_label,
        )
        # Every candidate is kept under models/experiments/<run-id>/, promoted or not.
        model_path = model.save(self.config.model_dir / MODEL_FILE)
        return ModelTrainerArtifact(model_path=model_path, estimator=self.config.estimator, train_metrics=train_metrics)
