"""The saved model: preprocessing and estimator in one file, so prediction always preprocesses as training did."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd

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

    def _features(self, frame: pd.DataFrame) -> np.ndarray:
        require_columns(frame, self.feature_columns)
        numeric = coerce_numeric(frame, self.feature_columns)
        return self.preprocessor.transform(numeric)

    def predict_encoded(self, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Labels as 1/0 and the probability of the positive class, one per row."""
        features = self._features(frame)
        return self.estimator.predict(features).astype(int), self.estimator.predict_proba(features)[:, 1]

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        """One row per input row, in order: the label and the probability of the positive class."""
        labels, probabilities = self.predict_encoded(frame)
        return pd.DataFrame(
            {
                PREDICTION_COLUMN: np.where(labels == 1, self.positive_label, self.negative_label),
                PROBABILITY_COLUMN: probabilities.round(6),
            },
            index=frame.index,
        )

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
        except Exception as exc:  # a truncated or foreign file fails in many ways inside unpickling
            raise StorageError(f"cannot load the model file {path}") from exc
        if not isinstance(model, cls):
            raise StorageError(f"{path} does not hold a {cls.__name__}")
        return model
