"""Reading a CSV file in chunks, only the columns wanted when it has them all; writing predictions as CSV: the same
text as pandas' `to_csv`, each distinct value formatted once."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.utils.csv_chunks import read_csv_chunks, write_csv_rows


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


def test_a_file_with_every_wanted_column_is_read_for_those_alone(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("id,b,note,a\n007,p,free text,1\n008,q,more,2\n", encoding="utf-8")

    chunks = list(read_csv_chunks(path, 1000, columns=["a", "b", "id"], text_columns=["id"]))

    assert [list(chunk.columns) for chunk in chunks] == [["id", "b", "a"]]  # the file's order
    assert chunks[0]["id"].tolist() == ["007", "008"]


def test_a_file_lacking_a_wanted_column_is_read_whole(tmp_path: Path) -> None:
    """So that the error names what is missing and what the file has (a wrong delimiter shows in its header)."""
    path = tmp_path / "rows.csv"
    path.write_text("a;b;note\n1;p;x\n", encoding="utf-8")

    chunks = list(read_csv_chunks(path, 1000, columns=["a", "b"]))

    assert [list(chunk.columns) for chunk in chunks] == [["a;b;note"]]
