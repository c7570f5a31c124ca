"""Writing predictions as CSV: the same text as pandas' `to_csv`, each distinct value formatted once."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.utils.csv_chunks import write_csv_rows


def _written(frame: pd.DataFrame, header: bool = True) -> str:
    handle = io.StringIO()
    write_csv_rows(frame, handle, header=header)
    return handle.getvalue()


def test_rows_are_written_as_to_csv_writes_them() -> None:
    frame = pd.DataFrame(
        {
            "prediction": np.array(["neg", None, "a,b", 'say "hi"', np.nan, "neg"], dtype=object),
            "probability": [0.5, -0.0, 0.0, np.nan, 1e-07, 0.5],
            "mixed": np.array([1, 1.0, True, None, "text", 2], dtype=object),  # equal values, different texts
            "count": [1, 2, 3, 4, 5, 6],
        }
    )

    assert _written(frame) == frame.to_csv(index=False)


def test_many_repeated_predictions_match_to_csv() -> None:
    generator = np.random.default_rng(3)
    probabilities = np.round(generator.integers(0, 1000, 20_000) / 997, 6)
    frame = pd.DataFrame(
        {
            "prediction": np.where(probabilities >= 0.4, "pos", "neg").astype(object),
            "probability": probabilities,
            "probability_pos": probabilities,
        }
    )

    assert _written(frame) == frame.to_csv(index=False)


@pytest.mark.parametrize("header", [True, False], ids=["with header", "without header"])
def test_an_empty_frame_writes_at_most_its_header(header: bool) -> None:
    frame = pd.DataFrame({"prediction": pd.Series([], dtype=object), "probability": pd.Series([], dtype=float)})

    assert _written(frame, header=header) == ("prediction,probability\n" if header else "")
