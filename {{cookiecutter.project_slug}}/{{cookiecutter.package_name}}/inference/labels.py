"""The target as the estimator sees it: the index of each label in the schema's classes, or the measurement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..entity.data_schema import DataSchema
from ..exception import InputError
from ..utils.frames import coerce_numeric
from ..utils.labels import match_labels


def encode_labels(values: pd.Series, classes: Sequence[str]) -> NDArray[Any]:
    """Label -> class index (0..n_classes-1), each value matched to the schema's spelling (`utils/labels.py`: a
    boolean True is the class `True`, `1` or `yes`); a label outside `classes` is an input error."""
    matched, text = match_labels(values, classes)
    index = {label: position for position, label in enumerate(classes)}
    encoded = matched.map(index)
    unknown = sorted(set(text[encoded.isna()].dropna()))
    if unknown or text.isna().any():
        shown = ", ".join(map(repr, unknown[:5])) or "missing labels"
        raise InputError(f"labels outside the schema's classes {list(classes)}: {shown}")
    return encoded.to_numpy(dtype=int)


def measured_values(frame: pd.DataFrame, target: str) -> NDArray[np.float64]:
    """A measurement target as floats; a value that is not a finite number is an input error naming the target."""
    values: NDArray[np.float64] = coerce_numeric(frame, [target], what=f"the target '{target}'").iloc[:, 0].to_numpy()
    return values


def target_array(frame: pd.DataFrame, schema: DataSchema) -> NDArray[Any]:
    """What the estimator learns from the frame's target: the measurement itself, or each label's class index."""
    if schema.is_regression:
        return measured_values(frame, schema.target)
    return encode_labels(frame[schema.target], schema.classes)
