"""The saved model: one fitted Pipeline (preprocessing + estimator) with its columns, classes and threshold, or,
for a measurement (no classes), the half-width of its prediction intervals.

Prediction always preprocesses as training did, and every answer comes from one pass of the pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..constants import LOWER_COLUMN, PREDICTION_COLUMN, PROBABILITY_COLUMN, UPPER_COLUMN
from ..entity.data_schema import numeric_feature_columns
from ..exception import InputError, StorageError
from ..utils.files import atomic_output
from ..utils.frames import typed_features
from .leaf_order import OrderedRows, in_leaf_order


def probability_column(label: str) -> str:
    """Name of the column holding one class's probability in `predict(..., probabilities=True)`."""
    return f"{PROBABILITY_COLUMN}_{label}"


class TabularModel:
    """A fitted scikit-learn Pipeline (`preprocess`, then `estimator`) and what it needs to answer in labels."""

    def __init__(
        self,
        pipeline: Any,
        feature_types: Mapping[str, str],
        classes: tuple[str, ...],
        positive_label: str | None = None,
        threshold: float | None = None,
        interval: tuple[float, float] | None = None,
    ) -> None:
        self.pipeline = pipeline
        self.feature_types = dict(feature_types)
        self.feature_columns = tuple(self.feature_types)
        self.classes = tuple(classes)
        self.positive_label = positive_label if len(self.classes) == 2 else None
        self.threshold = threshold if len(self.classes) == 2 else None
        # Regression: (coverage, half-width): the prediction +- half-width holds the truth for `coverage` of rows.
        self.interval = interval if not self.classes else None

    @property
    def estimator(self) -> Any:
        """The pipeline's last step, which scores what the steps before it prepared."""
        return self.pipeline.steps[-1][1]

    @property
    def numeric_columns(self) -> tuple[str, ...]:
        return numeric_feature_columns(self.feature_types)

    @property
    def is_binary(self) -> bool:
        return len(self.classes) == 2

    @property
    def is_regression(self) -> bool:
        """A measurement to estimate: no classes."""
        return not self.classes

    def predict_values(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        """Regression: the estimated value of each row."""
        return self._values_of(self.prepare(frame))

    def scores(self, frame: pd.DataFrame) -> NDArray[Any]:
        """What one pass of the pipeline gives: class probabilities (rows, classes), or the values (rows, 1)."""
        return self.predict_values(frame)[:, None] if self.is_regression else self.predict_proba(frame)

    def features(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The declared feature columns with their types; the target or extra columns are ignored."""
        return typed_features(frame, self.feature_types)

    def predict_proba(self, frame: pd.DataFrame) -> NDArray[Any]:
        """Probabilities, shape (rows, classes), columns in the order of `classes`; doubles whatever the library
        computes in (XGBoost gives float32), so every output writes them alike."""
        return self._proba_of(self.prepare(frame))

    def prepare(self, frame: pd.DataFrame) -> OrderedRows:
        """`frame`'s rows as the estimator reads them: typed, through the pipeline's preprocessing, and in the order
        its trees score fastest (`inference.leaf_order`; the answers are the pipeline's own). Holding the GIL for most
        of its work, this is what batch prediction does in one thread while others score chunks prepared before."""
        features = self.features(frame)
        if len(self.pipeline) > 1:  # a pipeline of the estimator alone has nothing before it
            features = self.pipeline[:-1].transform(features)
        return in_leaf_order(self.estimator, features, frame.index)

    def _proba_of(self, rows: OrderedRows) -> NDArray[np.float64]:
        return np.asarray(rows.results(self.estimator.predict_proba), dtype=np.float64)

    def _values_of(self, rows: OrderedRows) -> NDArray[np.float64]:
        return np.asarray(rows.results(self.estimator.predict), dtype=np.float64).reshape(-1)

    def class_indices(self, probabilities: NDArray[Any]) -> NDArray[np.intp]:
        """The decision, as positions in `classes`. Binary: the positive class when its probability reaches the
        tuned threshold; else the likeliest."""
        if self.is_binary:
            threshold = 0.5 if self.threshold is None else self.threshold
            return (probabilities[:, 1] >= threshold).astype(np.intp)
        return np.asarray(probabilities.argmax(axis=1), dtype=np.intp)

    def labels_from_probabilities(self, probabilities: NDArray[Any]) -> NDArray[Any]:
        """The decided labels (see `class_indices`)."""
        return self._labels_at(self.class_indices(probabilities))

    def chosen(self, probabilities: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
        """The decided label of each row and the probability of that label."""
        indices = self.class_indices(probabilities)
        return self._labels_at(indices), probabilities[np.arange(len(indices)), indices]

    def _labels_at(self, indices: NDArray[np.intp]) -> NDArray[Any]:
        labels: NDArray[Any] = np.asarray(self.classes, dtype=object)[indices]
        return labels

    def predict(self, frame: pd.DataFrame, probabilities: bool = False, intervals: bool = False) -> pd.DataFrame:
        """One row per input row, in order: the label, the probability of that label, and per-class columns; or, for
        a measurement, the value and (`intervals`) the bounds of its prediction interval."""
        return self.predict_prepared(self.prepare(frame), probabilities, intervals)

    def predict_prepared(self, rows: OrderedRows, probabilities: bool = False, intervals: bool = False) -> pd.DataFrame:
        """`predict` of the frame `prepare` made `rows` of."""
        self.require_outputs(probabilities, intervals)
        if self.is_regression:
            return self._predict_values(rows, intervals)
        scores = self._proba_of(rows)
        labels, chosen = self.chosen(scores)
        result = pd.DataFrame(
            {PREDICTION_COLUMN: labels, PROBABILITY_COLUMN: np.round(np.asarray(chosen, dtype=float), 6)},
            index=rows.index,
        )
        if probabilities:
            for index, label in enumerate(self.classes):
                result[probability_column(label)] = scores[:, index].round(6)
        return result

    def require_outputs(self, probabilities: bool, intervals: bool) -> None:
        """Refuse, in one line, an output this kind of model does not have."""
        if probabilities and self.is_regression:
            raise InputError("--probabilities is for a model of classes; this one predicts a measurement (regression)")
        if intervals and not self.is_regression:
            raise InputError("--intervals is for a model of a measurement (regression); this one predicts classes")

    def _predict_values(self, rows: OrderedRows, intervals: bool) -> pd.DataFrame:
        values = self._values_of(rows)
        result = pd.DataFrame({PREDICTION_COLUMN: values}, index=rows.index)
        if intervals:
            half_width = self.interval[1] if self.interval else float("nan")
            result[LOWER_COLUMN], result[UPPER_COLUMN] = values - half_width, values + half_width
        return result

    def save(self, path: Path) -> Path:
        with atomic_output(path, binary=True) as handle:  # a failed write (a full disk) leaves no partial file
            joblib.dump(self, handle)
        return path

    @classmethod
    def load(cls, path: Path) -> TabularModel:
        try:
            model = joblib.load(path)
        except (OSError, EOFError, ValueError, AttributeError, ModuleNotFoundError, ImportError) as exc:
            raise StorageError(f"cannot load the model file {path}") from exc
        except Exception as exc:  # a truncated or foreign pickle can fail in many ways
            raise StorageError(f"cannot load the model file {path}: {type(exc).__name__}") from exc
        if not isinstance(model, cls):
            raise StorageError(f"{path} does not hold a {cls.__name__}")
        return model
