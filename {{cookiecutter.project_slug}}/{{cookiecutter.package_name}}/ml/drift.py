"""Data drift by the population stability index (PSI), measured against the production model's training data.

A profile keeps, per feature, the reference's decile edges and the share of rows in each bin, so the reference
can be stored as small JSON next to the production model instead of a copy of its data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

_EPSILON = 1e-4


def _bin_shares(values: np.ndarray, edges: Sequence[float]) -> np.ndarray:
    counts = np.bincount(np.searchsorted(np.asarray(edges), values, side="right"), minlength=len(edges) + 1)
    return counts / max(len(values), 1)


def build_profile(frame: pd.DataFrame, columns: Sequence[str], bins: int = 10) -> dict[str, Any]:
    profile: dict[str, Any] = {}
    for column in columns:
        values = frame[column].dropna().to_numpy(dtype=float)
        quantiles = np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1]) if len(values) else np.array([])
        edges = np.unique(quantiles).tolist()
        profile[column] = {
            "edges": edges,
            "shares": _bin_shares(values, edges).tolist(),
            "missing_fraction": float(frame[column].isna().mean()),
        }
    return profile


def population_stability_index(reference: dict[str, Any], values: np.ndarray) -> float:
    expected = np.clip(np.asarray(reference["shares"], dtype=float), _EPSILON, None)
    actual = np.clip(_bin_shares(values, reference["edges"]), _EPSILON, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def drift_by_column(reference_profile: dict[str, Any], frame: pd.DataFrame) -> dict[str, float]:
    """PSI of every feature that the reference profile knows and the frame has."""
    return {
        column: round(population_stability_index(reference, frame[column].dropna().to_numpy(dtype=float)), 6)
        for column, reference in reference_profile.items()
        if column in frame.columns
    }
