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
    decide_task,
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


def test_iso_dates_and_timestamps_are_datetime_and_other_text_is_not() -> None:
    rows = 120
    days = pd.date_range("2024-01-01", periods=rows, freq="D")
    frame = pd.DataFrame(
        {
            "day": days.strftime("%Y-%m-%d"),
            "stamp": (days + pd.Timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M:%S%z"),
            "parquet_time": days,
            "almost": [*days.strftime("%Y-%m-%d")[:-1], "soon"],
            "european": days.strftime("%d/%m/%Y"),
            "size": np.arange(rows) % 7,
            "label": ["a", "b"] * (rows // 2),
        }
    )
    decisions = {item.name: item for item in infer_schema(frame, "label", ()).columns}

    for column in ("day", "stamp", "parquet_time"):
        assert (decisions[column].kind, decisions[column].drop_reason) == ("datetime", None)
    assert decisions["almost"].kind == "categorical"
    assert decisions["european"].kind == "categorical"


@pytest.mark.parametrize(
    ("values", "task", "reason"),
    [
        (pd.Series([1.5, 2.25, 3.0, 4.0]), "regression", "numbers with fractions"),
        (pd.Series(np.arange(36) % 36), "regression", "36 distinct whole numbers"),
        (pd.Series([0, 1, 2, 1, 0, 2]), "classification", "3 whole numbers taken as classes"),
        (pd.Series([0, 1, 1, 0]), "classification", ""),
        (pd.Series(["a", "b", "c"]), "classification", ""),
        (pd.Series([1.0, None, 2.5]), "regression", "numbers with fractions"),
    ],
)
def test_the_task_follows_the_target(values: pd.Series, task: str, reason: str) -> None:
    decided, said = decide_task(values)

    assert decided == task
    assert said.startswith(reason)


def test_a_column_that_is_a_measurement_in_other_units_is_named_as_a_leak() -> None:
    rng = np.random.default_rng(5)
    minutes = rng.gamma(3.0, 10.0, 1000).round(1)
    frame = pd.DataFrame(
        {
            "distance": minutes / 2 + rng.normal(0, 4, 1000),
            "hours": (minutes / 60).round(3),
            "minutes": minutes,
        }
    )

    inferred = infer_schema(frame, "minutes", ())

    assert inferred.task == "regression"
    assert [leak.column for leak in inferred.leaks] == ["hours"]


def test_task_given_overrides_and_regression_needs_numbers() -> None:
    assert decide_task(pd.Series([0, 1, 2] * 20), "regression") == ("regression", "chosen with --task")
    assert decide_task(pd.Series(np.linspace(0, 1, 60)), "classification")[0] == "classification"
    with pytest.raises(InputError, match="needs a target of numbers"):
        decide_task(pd.Series(["low", "high"]), "regression")


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


def test_a_measurement_is_a_regression_target_and_text_with_too_many_labels_is_refused() -> None:
    inferred = infer_schema(_frame(), "size", ())

    assert (inferred.task, inferred.classes, inferred.positive) == ("regression", (), None)
    with pytest.raises(InputError, match="at most 50 classes"):
        infer_schema(_frame(), "city", ())


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


def _key_line(project) -> str:
    config = (project / CONFIG_DIR / "config.yaml").read_text()
    return next(line for line in config.splitlines() if line.lstrip().startswith("key_column:"))


def test_schema_makes_the_id_column_the_key_of_the_split_and_names_it(project, tmp_path, capsys) -> None:
    # Given a table with an ID column, and the same table without it
    with_id, without_id = tmp_path / "with_id.csv", tmp_path / "without_id.csv"
    _frame().to_csv(with_id, index=False)
    _frame().drop(columns=["row"]).to_csv(without_id, index=False)
    comment = _key_line(project).split("#", 1)[1]

    # When `schema` reads the table with the ID
    assert main(["schema", "--input", str(with_id), "--target", "label"]) == 0

    # Then the ID decides the split, the line keeps its comment, and the output names the ID to keep
    output = capsys.readouterr().out
    assert load_settings(project).config.data_ingestion.key_column == "row"
    assert _key_line(project).startswith("  key_column: row ")
    assert _key_line(project).endswith(comment)
    assert "ID columns, dropped as features: row; keep them in the files you predict on" in output
    assert "data_ingestion.key_column is now row" in output

    # When it reads the table without that column, the key goes: no run fails on a column the table lacks
    assert main(["schema", "--input", str(without_id), "--target", "label"]) == 0
    assert load_settings(project).config.data_ingestion.key_column is None
    assert "emptied (row is not a column of this table)" in capsys.readouterr().out


def test_schema_keeps_a_key_chosen_by_hand(project, tmp_path, edit_config) -> None:
    # Given a key chosen by hand that is not an ID (several rows per city), in a table that has an ID too
    data = tmp_path / "mine.csv"
    _frame().to_csv(data, index=False)
    edit_config(_key_line(project), _key_line(project).replace("key_column:" + " " * 5, "key_column: city", 1))

    # When `schema` reads the table
    assert main(["schema", "--input", str(data), "--target", "label"]) == 0

    # Then the hand-chosen key stays
    assert load_settings(project).config.data_ingestion.key_column == "city"


def test_parquet_input_when_pyarrow_is_installed(project, tmp_path) -> None:
    pytest.importorskip("pyarrow")
    data = tmp_path / "mine.parquet"
    _frame().to_parquet(data)

    assert main(["schema", "--input", str(data), "--target", "label"]) == 0

    written = yaml.safe_load((project / CONFIG_DIR / "schema.yaml").read_text())
    assert written["columns"]["size"] == "numeric"
    assert written["target"]["classes"] == ["a", "b"]
