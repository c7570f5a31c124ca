"""Step 3: type the training rows, encode their labels (a measurement stays a number) and build the (unfitted)
preprocessing.

The preprocessing is fitted later together with the estimator, inside every training fold, so no statistic
of held-out or test rows leaks into it; oversampling likewise happens inside each fit.
"""

from __future__ import annotations

import joblib

from ..entity.artifact_entity import (
    DataTransformationArtifact,
    DataValidationArtifact,
)
from ..entity.config_entity import DataTransformationConfig
from ..inference.labels import target_array
from ..training.preprocessing import build_preprocessor
from ..utils.frames import read_csv_file, typed_features


class DataTransformation:
    def __init__(self, config: DataTransformationConfig, validation: DataValidationArtifact) -> None:
        self.config = config
        self.validation = validation

    def run(self) -> DataTransformationArtifact:
        schema = self.config.data_schema
        train = read_csv_file(self.validation.train_path, schema.missing_values)
        features = typed_features(train, schema.feature_types)
        labels = target_array(train, schema)
        preprocessor = build_preprocessor(schema.feature_types, self.config.categorical_encoding)

        output = self.config.output_dir
        output.mkdir(parents=True, exist_ok=True)
        preprocessor_path, data_path = output / "preprocessor.joblib", output / "train_data.joblib"
        joblib.dump(preprocessor, preprocessor_path)
        joblib.dump({"features": features, "labels": labels}, data_path)
        return DataTransformationArtifact(
            preprocessor_path=preprocessor_path,
            train_data_path=data_path,
            rows=len(labels),
            class_counts={label: int((labels == index).sum()) for index, label in enumerate(schema.classes)},
            oversample_ratio=None if schema.is_regression else self.config.oversample_ratio,
        )
