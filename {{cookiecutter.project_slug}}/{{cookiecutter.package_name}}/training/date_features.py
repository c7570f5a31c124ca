"""Date columns as features inside the saved pipeline: the calendar parts a model can learn seasons and weekdays from.

Prediction input reaches the pipeline as seconds since 1970 (UTC, `utils/frames.typed_features`), so batch, the
server and MLflow's pyfunc compute the same parts. The hour is a feature only when the training dates carry a time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, TransformerMixin

DATE_PARTS = ("year", "month", "day_of_week", "day_of_year")
SECONDS_PER_DAY = 86_400


class DateParts(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Each date column (seconds since 1970) becomes year, month, day of week (Monday 0), day of year, and hour
    when training saw times of day; a missing date gives missing parts, for the imputer that follows."""

    def fit(self, features: pd.DataFrame | NDArray[Any], labels: Any = None) -> DateParts:
        frame = pd.DataFrame(features)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.n_features_in_ = len(frame.columns)
        self.parts_ = {}
        for column in frame.columns:
            seconds = frame[column].to_numpy(dtype=np.float64)
            seconds = seconds[~np.isnan(seconds)]
            with_time = bool(np.any(np.mod(seconds, SECONDS_PER_DAY) != 0))
            self.parts_[str(column)] = (*DATE_PARTS, "hour") if with_time else DATE_PARTS
        return self

    def transform(self, features: pd.DataFrame | NDArray[Any]) -> NDArray[np.float64]:
        frame = pd.DataFrame(features)
        frame.columns = self.feature_names_in_
        blocks = []
        for column, parts in self.parts_.items():
            stamps = pd.to_datetime(frame[column].to_numpy(dtype=np.float64), unit="s")
            values = {
                "year": stamps.year,
                "month": stamps.month,
                "day_of_week": stamps.day_of_week,
                "day_of_year": stamps.day_of_year,
                "hour": stamps.hour,
            }
            blocks += [np.asarray(values[part], dtype=np.float64) for part in parts]
        return np.column_stack(blocks) if blocks else np.empty((len(frame), 0))

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[Any]:
        names = [f"{column}_{part}" for column, parts in self.parts_.items() for part in parts]
        return np.asarray(names, dtype=object)
