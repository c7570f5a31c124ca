from __future__ import annotations

import numpy as np
import pandas as pd

from {{ cookiecutter.package_name }}.ml.drift import build_profile, drift_by_column


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

    assert profile["gaps"]["missing_fraction"] == 0.5
    assert drift_by_column(profile, frame)["constant"] == 0.0
