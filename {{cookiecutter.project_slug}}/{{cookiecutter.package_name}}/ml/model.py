"""The saved model: preprocessing and estimator in one file, so prediction always preprocesses as training did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.constants import PREDICTION_COLUMN, PROBABILITY_COLUMN
from {{ cookiecutter.package_name }}.exception import StorageError
from {{ cookiecutter.package_name }}.utils.frames import coerce_numeric, require_columns


class SensorModel:
    def __init__(
        self,
        preprocessor: Any,
        estimator: Any,
        feature_columns: tuple[str, ...],
        positive_label: str,
        negative_label: str,
    ) -> None:
        self.preprocessor = preprocessor
        self.estimator = estimator
        self.feature_columns = tuple(feature_columns)
        self.positive_label = positive_label
        self.negative_label = negative_label

    @property
    def pipeline(self) -> Pipeline:
        """Preprocessing and estimator as one fitted scikit-learn Pipeline (what ONNX export converts)."""
        return Pipeline([("preprocess", self.preprocessor), ("estimator", self.estimator)])

    @property
    def classes(self) -> tuple[str, ...]:
        """Label strings in the estimator's class order (its classes are 0 = negative, 1 = positive)."""
        return (self.negative_label, self.positive_label)

    @property
    def threshold(self) -> float:
        """Probability of the positive class from which a row is labelled positive."""
        return float(getattr(self.estimator, "threshold_", 0.5))

    def _features(self, frame: pd.DataFrame) -> np.ndarray:
        require_columns(frame, self.feature_columns)
        numeric = coerce_numeric(frame, self.feature_columns)
        return self.preprocessor.transform(numeric)

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        """Class probabilities, shape (rows, classes), from ONE pass of the estimator."""
        return self.estimator.predict_proba(self._features(frame))

    def labels_from_probabilities(self, probabilities: np.ndarray) -> np.ndarray:
        """Label strings: positive where its probability reaches the threshold."""
        return np.where(probabilities[:, 1] >= self.threshold, self.positive_label, self.negative_label)

    def predict_encoded(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Labels as 1/0 and the probability of the positive class, one per row."""
        positive = self.predict_proba(frame)[:, 1]
        return (positive >= self.threshold).astype(int), positive

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """One row per input row, in order: the label and the probability of that label."""
        probabilities = self.predict_proba(frame)
        labels = self.labels_from_probabilities(probabilities)
        chosen = probabilities[np.arange(len(labels)), (labels == self.positive_label).astype(int)]
        return pd.DataFrame({PREDICTION_COLUMN: labels, PROBABILITY_COLUMN: chosen.round(6)}, index=frame.index)

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        joblib.dump(self, temporary)
        temporary.replace(path)
        return path

    @classmethod
    def load(cls, path: Path) -> SensorModel:
        try:
            model = joblib.load(path)
        except (OSError, EOFError, ValueError) as exc:
            raise StorageError(f"cannot load the model file {path}") from exc
        if not isinstance(model, cls):
            raise StorageError(f"{path} does not hold a {cls.__name__}")
        return model
