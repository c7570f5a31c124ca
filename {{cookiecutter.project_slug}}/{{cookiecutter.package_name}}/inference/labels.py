"""The target's labels as the estimator sees them: the index of each label in the schema's classes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from numpy.typing import NDArray

from ..exception import InputError
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
