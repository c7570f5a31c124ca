"""Schema inference on small frames made here: types, drop reasons, markers, classes and the positive class."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR
from {{ cookiecutter.package_name }}.exception import InputError
from {{ cookiecutter.package_name }}.schema_inference.inference import (
    find_missing_markers,
    infer_schema,
)


def _frame(rows: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "row": np.arange(rows),
            "note": [f"a long free text remark number {index} written by somebody" for index in range(rows)],
            "city": [f"city-{index % 150}" for index in range(rows)],
            "flag": rng.choice(["True", "False"], rows),
            "size": rng.normal(size=rows),
            "label": rng.choice(["a", "a", "a", "b"], rows),
        }
    )


def test_columns_are_typed_and_dropped_with_reasons() -> None:
    decisions = {item.name: item for item in infer_schema(_frame(), "label", ()).columns}

    assert decisions["row"].drop_reason.startswith("ID-like")
    assert decisions["note"].drop_reason.startswith("free text")
    assert decisions["city"].drop_reason.startswith("very high cardinality")
    assert (decisions["flag"].kind, decisions["flag"].drop_reason) == ("boolean", None)
    assert (decisions["size"].kind, decisions["size"].drop_reason) == ("numeric", None)


def test_markers_are_found_and_ordinary_words_are_not() -> None:
    raw = pd.DataFrame({"x": ["1", "?", "2", "-", ""], "y": ["red", "none", "blue", "NA", "-"]})

    assert find_missing_markers(raw) == ("", "-", "?", "NA")


def test_positive_is_the_rarer_class_unless_named() -> None:
    frame = _frame()

    assert infer_schema(frame, "label", ()).positive == "b"
    assert infer_schema(frame, "label", (), positive="a").positive == "a"
    with pytest.raises(InputError, match="not a value"):
        infer_schema(frame, "label", (), positive="c")
    with pytest.raises(InputError, match="no column 'missing'"):
        infer_schema(frame, "missing", ())


def test_a_measurement_is_not_taken_for_a_class_label() -> None:
    with pytest.raises(InputError, match="classification"):
        infer_schema(_frame(), "size", ())


def test_schema_command_writes_a_schema_that_loads(project, tmp_path, capsys) -> None:
    data = tmp_path / "mine.csv"
    _frame().to_csv(data, index=False)

    assert main(["schema", "--input", str(data), "--target", "label", "--positive", "a"]) == 0

    schema = load_settings(project).schema
    assert schema.classes == ("b", "a")
    assert schema.positive_label == "a"
    assert schema.feature_types == {"flag": "boolean", "size": "numeric"}
    assert "positive class a (chosen with --positive)" in capsys.readouterr().out
    assert main(["schema", "--input", str(data), "--target", "nothing"]) == 2


def test_parquet_input_when_pyarrow_is_installed(project, tmp_path) -> None:
    pytest.importorskip("pyarrow")
    data = tmp_path / "mine.parquet"
    _frame().to_parquet(data)

    assert main(["schema", "--input", str(data), "--target", "label"]) == 0

    written = yaml.safe_load((project / CONFIG_DIR / "schema.yaml").read_text())
    assert written["columns"]["size"] == "numeric"
    assert written["target"]["classes"] == ["a", "b"]
