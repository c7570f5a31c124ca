"""Step 3: fit the preprocessing on training rows only, then rebalance the training rows."""

from __future__ import annotations

import joblib
import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import RobustScaler

from {{ cookiecutter.package_name }}.entity.artifact_entity import DataTransformationArtifact, DataValidationArtifact
from {{ cookiecutter.package_name }}.entity.config_entity import DataTransformationConfig
from {{ cookiecutter.package_name }}.ml.resampling import oversample_minority
from {{ cookiecutter.package_name }}.utils.frames import coerce_numeric, read_csv_file


def build_preprocessor() -> Pipeline:
    """Median imputation copes with the many missing sensor values; robust scaling with their long tails."""
    return Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("scale", RobustScaler()),
        ]
    )


class DataTransformation:
    def __init__(self, config: DataTransformationConfig, validation: DataValidationArtifact) -> None:
        self.config = config
        self.validation = validation

    def run(self) -> DataTransformationArtifact:
        schema = self.config.schema
        train = read_csv_file(self.validation.train_path, schema.missing_values)
        features = coerce_numeric(train, schema.feature_columns)
        labels = (train[schema.target].astype(str) == schema.positive_label).astype(int).to_numpy()

        preprocessor = build_preprocessor().fit(features)
        transformed = preprocessor.transform(features)
        if self.config.oversample_minority:
            transformed, labels_after = oversample_minority(
                transformed, labels, self.config.minority_ratio, self.config.random_state
            )
        else:
            labels_after = labels

        output = self.config.output_dir
        output.mkdir(parents=True, exist_ok=True)
        preprocessor_path, arrays_path = output / "preprocessor.joblib", output / "train_arrays.npz"
        joblib.dump(preprocessor, preprocessor_path)
        np.savez_compressed(arrays_path, features=transformed, labels=labels_after)
        return DataTransformationArtifact(
            preprocessor_path=preprocessor_path,
            train_arrays_path=arrays_path,
            rows_before_resampling=len(labels),
            rows_after_resampling=len(labels_after),
            positive_rate_after_resampling=float(labels_after.mean()),
        )
