from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.monitoring.drift import (
    build_profile,
    column_changes,
    drift_by_column,
    drift_verdict,
    missing_share_change,
    target_profile,
    target_shift,
)


def test_same_distribution_has_low_psi_and_a_shift_has_high_psi() -> None:
    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"a": rng.normal(size=2000), "b": rng.normal(size=2000)})
    current = pd.DataFrame({"a": rng.normal(size=2000), "b": rng.normal(loc=2.0, size=2000)})

    psi = drift_by_column(build_profile(reference, ["a", "b"]), current)

    assert psi["a"] < 0.1
    assert psi["b"] > 0.5


def test_profile_survives_missing_values_and_constant_columns() -> None:
    frame = pd.DataFrame({"constant": [5.0] * 10, "gaps": [1.0, None] * 5})

    profile = build_profile(frame, ["constant", "gaps"])

    assert profile["features"]["gaps"]["missing_fraction"] == 0.5
    assert drift_by_column(profile, frame)["constant"] == 0.0


def test_categorical_shift_and_more_missing_values_are_seen() -> None:
    rng = np.random.default_rng(1)
    reference = pd.DataFrame({"colour": rng.choice(["red", "blue"], 2000), "size": rng.normal(size=2000)})
    current = pd.DataFrame({"colour": rng.choice(["red", "green"], 2000), "size": rng.normal(size=2000)})
    current.loc[:999, "size"] = np.nan
    profile = build_profile(reference, {"colour": "categorical", "size": "numeric"})

    assert drift_by_column(profile, current)["colour"] > 0.5
    assert drift_by_column(profile, reference)["colour"] < 0.01
    assert missing_share_change(profile, current)["size"] == pytest.approx(0.5)


def test_new_and_vanished_columns_are_reported() -> None:
    profile = build_profile(pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}), ["a", "b"])

    assert column_changes(profile, ["a", "c"]) == (["c"], ["b"])


def test_a_column_drifts_when_its_missing_share_jumps_even_if_its_psi_does_not() -> None:
    rng = np.random.default_rng(2)
    reference = pd.DataFrame({"gaps": rng.normal(size=4000), "steady": rng.normal(size=4000)})
    current = pd.DataFrame({"gaps": rng.normal(size=4000), "steady": rng.normal(size=4000)})
    current.loc[rng.random(4000) < 0.4, "gaps"] = np.nan
    thresholds = {"psi_threshold": 0.2, "missing_share_threshold": 0.1}

    verdict = drift_verdict(build_profile(reference, ["gaps", "steady"]), current, **thresholds, max_drifted_share=0.5)

    assert verdict.psi["gaps"] < 0.2
    assert verdict.drifted_columns == ["gaps"]
    assert "missing share moved by +4" in verdict.reasons["gaps"]
    assert "PSI" not in verdict.reasons["gaps"]
    assert verdict.drifted_share == 0.5
    assert not verdict.detected
    assert verdict.report()["drift_reasons"] == {"gaps": verdict.reasons["gaps"]}
    strict = drift_verdict(build_profile(reference, ["gaps", "steady"]), current, **thresholds, max_drifted_share=0.4)
    assert strict.detected


def test_dates_moving_forward_are_not_drift_but_their_gaps_are_watched() -> None:
    reference = pd.DataFrame({"seen": np.arange(1000, dtype=float) * 86_400})
    later = pd.DataFrame({"seen": reference["seen"] + 5 * 365 * 86_400})
    later.loc[:499, "seen"] = np.nan
    profile = build_profile(reference, {"seen": "datetime"})

    assert drift_by_column(profile, later) == {"seen": 0.0}
    assert missing_share_change(profile, later)["seen"] == pytest.approx(0.5)


def test_the_targets_shift_is_measured_for_classes_and_for_a_measurement() -> None:
    rng = np.random.default_rng(2)
    classes = pd.Series(rng.choice(["neg", "pos"], 2000, p=[0.9, 0.1]))
    measured = pd.Series(rng.normal(100, 10, 2000))
    profile = {"target": target_profile(classes, regression=False)}

    assert target_shift(profile, classes.sample(frac=1, random_state=0), regression=False) < 0.01
    assert target_shift(profile, pd.Series(rng.choice(["neg", "pos"], 2000, p=[0.5, 0.5])), regression=False) > 0.2
    numeric = {"target": target_profile(measured, regression=True)}
    assert target_shift(numeric, measured + 30, regression=True) > 1.0
    assert target_shift({"features": {}}, measured, regression=True) is None  # a reference that did not keep it
