"""How a CSV file is written, on small files made here: delimiter, decimal mark, encoding, overrides and hints."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR
from {{ cookiecutter.package_name }}.schema_inference.dialect import detect_dialect
from {{ cookiecutter.package_name }}.schema_inference.source_path import point_csv_source
from {{ cookiecutter.package_name }}.utils.csv_dialect import CsvDialect
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file

NO_MARKERS: frozenset[str] = frozenset({""})


def _frame(rows: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    return pd.DataFrame(
        {
            "length": rng.uniform(0, 10, rows).round(2),
            "colour": rng.choice(["red", "blue"], rows),
            "label": rng.choice(["a", "b"], rows),
        }
    )


@pytest.mark.parametrize(
    ("sep", "decimal", "encoding"),
    [(",", ".", "utf-8"), (";", ",", "utf-8"), ("\t", ".", "utf-8"), ("|", ",", "utf-8-sig"), (",", ",", "cp1252")],
)
def test_the_dialect_a_file_was_written_in_is_detected(tmp_path: Path, sep, decimal, encoding) -> None:
    given = tmp_path / "data.csv"
    frame = _frame()
    frame["colour"] = frame["colour"].replace({"red": "rouge café €"})
    frame.to_csv(given, index=False, sep=sep, decimal=decimal, encoding=encoding)

    detected = detect_dialect(given, NO_MARKERS)

    assert detected.dialect == CsvDialect(sep, decimal, encoding)
    assert bool(detected.notes) == (encoding == "cp1252")
    read = read_csv_file(given, dialect=detected.dialect)
    assert read["length"].tolist() == frame["length"].tolist()
    assert read["colour"].tolist() == frame["colour"].tolist()


def test_given_options_override_what_would_be_detected(project: Path, tmp_path: Path, capsys) -> None:
    given = tmp_path / "data.csv"
    _frame().to_csv(given, index=False, sep=";", decimal=",")

    assert main(["schema", "--input", str(given), "--target", "label", "--decimal", "."]) == 0

    output = capsys.readouterr().out
    assert "semicolon-separated, decimal point, utf-8 (as given by --decimal)" in output
    assert "warning: read as text, not numbers: length (e.g. " in output
    assert yaml.safe_load((project / CONFIG_DIR / "schema.yaml").read_text())["columns"]["length"] == "categorical"


def test_decimal_commas_beside_decimal_points_are_not_guessed(project: Path, tmp_path: Path, capsys) -> None:
    given = tmp_path / "data.csv"
    frame = _frame()
    frame["width"] = [f"{value:.1f}".replace(".", ",") for value in frame["length"]]
    frame.to_csv(given, index=False)

    assert main(["schema", "--input", str(given), "--target", "label"]) == 0

    output = capsys.readouterr().out
    assert "decimal commas in width but points in length" in output
    assert "warning: read as text, not numbers: width" in output


def test_numbers_in_another_notation_are_named_and_dotted_dates_are_not(project: Path, tmp_path: Path, capsys) -> None:
    given = tmp_path / "data.csv"
    frame = _frame()
    frame["amount"] = [f"{index}.{index % 1000:03d},{index % 10}" for index in range(1, len(frame) + 1)]
    frame["day"] = [f"{index % 28 + 1:02d}.01.2024" for index in range(len(frame))]
    frame.to_csv(given, index=False, sep=";", decimal=",")

    assert main(["schema", "--input", str(given), "--target", "label"]) == 0

    warnings = [line for line in capsys.readouterr().out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "amount (e.g. '1.001,1')" in warnings[0]
    assert "day" not in warnings[0]


def test_a_wrong_delimiter_is_named_and_changes_no_file(project: Path, tmp_path: Path, capsys) -> None:
    given = tmp_path / "data.csv"
    _frame().to_csv(given, index=False, sep=";", decimal=",")
    before = {path: path.read_bytes() for path in (project / CONFIG_DIR).iterdir()}

    assert main(["schema", "--input", str(given), "--target", "label", "--sep", ","]) == 2

    error = capsys.readouterr().err
    assert "no column 'label' in the data" in error
    assert "looks semicolon-separated (sep ';')" in error
    assert "columns: length;colour;label" not in error
    assert {path: path.read_bytes() for path in (project / CONFIG_DIR).iterdir()} == before


def test_the_dialect_keys_are_set_in_place_and_added_when_missing(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        'data_source:\n  type: csv\n  csv:   # the file\n    path: old.csv   # where\n    decimal: "."  # mark\n'
        "storage:\n  artifacts_dir: artifacts\n"
    )

    changed = point_csv_source(config, "new.csv", {"sep": "\t", "decimal": ",", "encoding": "cp1252"})

    assert changed
    assert config.read_text() == (
        'data_source:\n  type: csv\n  csv:   # the file\n    path: new.csv   # where\n    decimal: ","  # mark\n'
        '    sep: "\\t"\n    encoding: cp1252\nstorage:\n  artifacts_dir: artifacts\n'
    )
    assert yaml.safe_load(config.read_text())["data_source"]["csv"]["sep"] == "\t"
    assert not point_csv_source(config, "new.csv", {"sep": "\t", "decimal": ",", "encoding": "cp1252"})


def test_a_wrong_delimiter_is_named_when_the_rows_cannot_be_parsed(project: Path, tmp_path: Path, capsys) -> None:
    given = tmp_path / "data.csv"
    frame = _frame()
    frame["width"] = frame["length"] * 2
    frame.to_csv(given, index=False, sep=";", decimal=",")

    assert main(["schema", "--input", str(given), "--target", "label", "--sep", ","]) == 2

    assert "looks semicolon-separated (sep ';')" in capsys.readouterr().err
