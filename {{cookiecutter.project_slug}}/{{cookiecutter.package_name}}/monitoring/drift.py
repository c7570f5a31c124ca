"""Data drift against the production model's training data: distribution (PSI) and missing share per column.

`drift_verdict` is the one decision, for a training run's validation and for `monitor` alike: a column has drifted
when its PSI or its share of missing values moved past config.yaml's thresholds, and the data set has when more than
max_drifted_share of its columns did.

A profile keeps, per feature, the reference's decile edges and bin shares (numeric, boolean and datetime) or category
shares (categorical), plus the share of missing values and the list of raw columns, so the reference is stored
as small JSON next to the production model instead of a copy of its data. Numeric entries also keep a `histogram`
(equal-width bins over the column's range) for the charts of the run report; drift is measured on the deciles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..utils.frames import as_text
from ..utils.labels import label_key

_EPSILON = 1e-4
# Categories kept by name in a profile; the rest share one bucket.
MAX_PROFILE_CATEGORIES = 50
OTHER = "__other__"


def _bin_shares(values: NDArray[Any], edges: Sequence[float]) -> NDArray[Any]:
    counts = np.bincount(np.searchsorted(np.asarray(edges), values, side="right"), minlength=len(edges) + 1)
    return counts / max(len(values), 1)


def _category_shares(values: pd.Series, categories: Sequence[str]) -> NDArray[Any]:
    known = values.where(values.isin(categories), OTHER)
    counts = known.value_counts()
    return np.array([counts.get(category, 0) for category in [*categories, OTHER]]) / max(len(values), 1)


def build_profile(
    frame: pd.DataFrame, feature_types: Mapping[str, str] | Sequence[str], bins: int = 10
) -> dict[str, Any]:
    """The reference profile of the typed feature columns (a list of names means every column is numeric)."""
    types = dict(feature_types) if isinstance(feature_types, Mapping) else dict.fromkeys(feature_types, "numeric")
    features: dict[str, Any] = {}
    for column, kind in types.items():
        present = frame[column].dropna()
        entry: dict[str, Any] = {"kind": kind, "missing_fraction": float(frame[column].isna().mean())}
        if kind == "categorical":
            text = as_text(present)
            entry["categories"] = [str(item) for item in text.value_counts().index[:MAX_PROFILE_CATEGORIES]]
            entry["shares"] = _category_shares(text, entry["categories"]).tolist()
        else:
            values = present.to_numpy(dtype=float)
            quantiles = np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1]) if len(values) else np.array([])
            entry["edges"] = np.unique(quantiles).tolist()
            entry["shares"] = _bin_shares(values, entry["edges"]).tolist()
            if len(values):  # for people: equal-width bins over the range, so a chart shows the shape on real values
                counts, edges = np.histogram(values, bins=2 if kind == "boolean" else bins)
                entry["histogram"] = {"edges": edges.tolist(), "shares": (counts / len(values)).tolist()}
        features[column] = entry
    return {"columns": [str(column) for column in frame.columns], "features": features}


def _target_values(values: pd.Series, regression: bool) -> pd.Series:
    """A measurement as numbers; labels by what their spellings share (`True` as a CSV's true, `1.0` as `1`)."""
    if regression:
        return pd.to_numeric(values, errors="coerce")
    return as_text(values).map(lambda label: label if pd.isna(label) else label_key(str(label)))


def target_profile(values: pd.Series, regression: bool) -> dict[str, Any]:
    """The profile entry of the target at training time: decile bins of a measurement, or the classes' shares."""
    kind = "numeric" if regression else "categorical"
    frame = pd.DataFrame({"target": _target_values(values, regression)})
    entry: dict[str, Any] = build_profile(frame, {"target": kind})["features"]["target"]
    return entry


def target_shift(reference_profile: dict[str, Any], values: pd.Series, regression: bool) -> float | None:
    """PSI of the target now against its reference entry; None for references that did not keep it. Reported
    beside drift, never part of its verdict: a moved target is a change in the world, not in the inputs."""
    reference = reference_profile.get("target")
    if not isinstance(reference, dict):
        return None
    return round(population_stability_index(reference, _target_values(values, regression).dropna()), 6)


def _features(profile: dict[str, Any]) -> dict[str, Any]:
    """Profiles written before columns were typed held the numeric features at the top level."""
    features: dict[str, Any] = profile.get("features", profile)
    return features


def _psi(expected_shares: Sequence[float], actual_shares: NDArray[Any]) -> float:
    expected = np.clip(np.asarray(expected_shares, dtype=float), _EPSILON, None)
    actual = np.clip(actual_shares, _EPSILON, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def population_stability_index(reference: dict[str, Any], values: pd.Series | NDArray[Any]) -> float:
    """PSI of one column's present values against its reference entry.

    Dates move forward by nature, so new dates always fall past the reference's range: a date column's PSI is 0
    and only its share of missing values is watched.
    """
    if reference.get("kind") == "datetime":
        return 0.0
    if reference.get("kind") == "categorical":
        text = as_text(pd.Series(values)).dropna()
        return _psi(reference["shares"], _category_shares(text, reference["categories"]))
    numbers = np.asarray(values, dtype=float)
    return _psi(reference["shares"], _bin_shares(numbers[~np.isnan(numbers)], reference["edges"]))


def drift_by_column(reference_profile: dict[str, Any], frame: pd.DataFrame) -> dict[str, float]:
    """PSI of every feature that the reference profile knows and the frame has."""
    return {
        column: round(population_stability_index(reference, frame[column].dropna()), 6)
        for column, reference in _features(reference_profile).items()
        if column in frame.columns
    }


def missing_share_change(reference_profile: dict[str, Any], frame: pd.DataFrame) -> dict[str, float]:
    """Per feature: share of missing values now minus in the reference (positive: more gaps than before)."""
    return {
        column: round(float(frame[column].isna().mean()) - float(reference.get("missing_fraction", 0.0)), 6)
        for column, reference in _features(reference_profile).items()
        if column in frame.columns
    }


def column_changes(reference_profile: dict[str, Any], columns: Sequence[str]) -> tuple[list[str], list[str]]:
    """(new, vanished): raw columns present now but not in the reference data, and the other way round."""
    before = set(reference_profile.get("columns", _features(reference_profile)))
    now = {str(column) for column in columns}
    return sorted(now - before), sorted(before - now)


@dataclass(frozen=True)
class DriftVerdict:
    """Per column, whether it drifted and why; for the data set, the share of drifted columns and the decision."""

    psi: dict[str, float]
    missing_share_change: dict[str, float]
    reasons: dict[str, str]  # drifted column -> why, in words; the columns not here did not drift
    drifted_share: float
    detected: bool
    psi_threshold: float
    missing_share_threshold: float
    max_drifted_share: float

    @property
    def drifted_columns(self) -> list[str]:
        return sorted(self.reasons)

    def report(self) -> dict[str, Any]:
        """The verdict as the `drift` section of report.yaml (validation's and `monitor`'s)."""
        return {
            "psi_threshold": self.psi_threshold,
            "missing_share_threshold": self.missing_share_threshold,
            "max_drifted_share": self.max_drifted_share,
            "drifted_columns": self.drifted_columns,
            "drift_reasons": {column: self.reasons[column] for column in self.drifted_columns},
            "drifted_share": round(self.drifted_share, 4),
            "drift_detected": self.detected,
            "psi": self.psi,
            "missing_share_change": self.missing_share_change,
        }


def drift_verdict(
    reference_profile: dict[str, Any],
    frame: pd.DataFrame,
    *,
    psi_threshold: float,
    missing_share_threshold: float,
    max_drifted_share: float,
) -> DriftVerdict:
    """Drift of the typed feature columns of `frame` against the reference profile (config.yaml's
    data_validation.drift thresholds): a column drifted when its PSI is above psi_threshold or its share of missing
    values moved by more than missing_share_threshold (either way); drift is detected when more than
    max_drifted_share of the columns compared drifted."""
    psi = drift_by_column(reference_profile, frame)
    missing = missing_share_change(reference_profile, frame)
    reasons: dict[str, str] = {}
    for column, value in psi.items():
        why = []
        if value > psi_threshold:
            why.append(f"PSI {value:.3f} > {psi_threshold}")
        if abs(missing[column]) > missing_share_threshold:
            why.append(f"missing share moved by {missing[column]:+.1%} (more than {missing_share_threshold:.1%})")
        if why:
            reasons[column] = "; ".join(why)
    share = len(reasons) / max(len(psi), 1)
    return DriftVerdict(
        psi=psi,
        missing_share_change=missing,
        reasons=reasons,
        drifted_share=share,
        detected=share > max_drifted_share,
        psi_threshold=psi_threshold,
        missing_share_threshold=missing_share_threshold,
        max_drifted_share=max_drifted_share,
    )
