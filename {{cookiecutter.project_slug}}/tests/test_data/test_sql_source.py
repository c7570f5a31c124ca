"""SQL extraction through SQLAlchemy, on SQLite files (the template's own CI also runs it against PostgreSQL)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import yaml

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.data_access import sql_source
from {{ cookiecutter.package_name }}.data_access.sql_source import SqlSource, resolve_sqlite_path
from {{ cookiecutter.package_name }}.exception import ConfigError, InputError, StorageError

FRAME = pd.DataFrame({"class": ["pos", "neg", "neg"], "aa_000": ["1", "na", "3"]})
# The first half of the rows is one class: a sample of the first rows would never see the other one.
SORTED = pd.DataFrame({"class": ["neg"] * 300 + ["pos"] * 300, "row": [f"r{index}" for index in range(600)]})


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'readings.db'}"


def test_table_round_trip_turns_na_into_missing(tmp_path: Path) -> None:
    source = SqlSource(_url(tmp_path), table="readings", missing_values=("na",))

    assert source.write(FRAME) == 3
    frame = source.read()

    assert frame["class"].tolist() == ["pos", "neg", "neg"]
    assert frame["aa_000"].isna().tolist() == [False, True, False]


def test_query_instead_of_table(tmp_path: Path) -> None:
    SqlSource(_url(tmp_path), table="readings").write(FRAME)

    frame = SqlSource(_url(tmp_path), query="SELECT * FROM readings WHERE class = 'neg'").read()

    assert len(frame) == 2


def test_missing_table_and_bad_query_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="table 'readings' not found"):
        SqlSource(_url(tmp_path), table="readings").read()
    with pytest.raises(InputError, match="no such table"):
        SqlSource(_url(tmp_path), query="SELECT * FROM nowhere").read()


def test_unreachable_server_does_not_show_the_password() -> None:
    source = SqlSource("postgresql+psycopg://reader:s3cret@127.0.0.1:9/plant", table="readings", timeout_seconds=2)

    with pytest.raises(StorageError) as caught:
        source.read()

    assert "cannot connect" in str(caught.value)
    assert "s3cret" not in str(caught.value)
    assert "reader:***@" in str(caught.value)


def test_exactly_one_of_table_or_query() -> None:
    with pytest.raises(ConfigError, match="exactly one"):
        SqlSource("sqlite://", table="a", query="SELECT 1")


def test_relative_sqlite_paths_start_at_the_project_root(tmp_path: Path) -> None:
    assert resolve_sqlite_path("sqlite:///data/x.db", tmp_path) == f"sqlite:///{tmp_path / 'data' / 'x.db'}"
    assert resolve_sqlite_path("sqlite:////abs/x.db", tmp_path) == "sqlite:////abs/x.db"
    assert resolve_sqlite_path("postgresql://h/db", tmp_path) == "postgresql://h/db"


def test_sample_is_random_rows_not_the_first_ones(tmp_path: Path) -> None:
    source = SqlSource(_url(tmp_path), table="readings")
    source.write(SORTED)

    sample = source.read_sample(100)

    assert len(sample) == 100
    assert sample["row"].is_unique
    assert set(sample["class"]) == {"neg", "pos"}
    assert source.sample_description(100) == "a random sample of at most 100 rows"


def test_sample_of_a_query_is_random_too(tmp_path: Path) -> None:
    SqlSource(_url(tmp_path), table="readings").write(SORTED)
    source = SqlSource(_url(tmp_path), query="SELECT class, row FROM readings WHERE row <> 'r0';")

    sample = source.read_sample(50)

    assert len(sample) == 50
    assert set(sample["class"]) == {"neg", "pos"}


def test_a_database_without_known_random_order_gives_its_first_rows_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delitem(sql_source.RANDOM_ORDER, "sqlite")
    source = SqlSource(_url(tmp_path), table="readings")
    source.write(SORTED)

    with caplog.at_level(logging.WARNING):
        sample = source.read_sample(10)

    assert sample["row"].tolist() == [f"r{index}" for index in range(10)]
    assert "no random order known for this database, reading its first 10 rows" in caplog.text
    assert source.sample_description(10).startswith("the first 10 rows")


def test_random_order_follows_the_database_dialect() -> None:
    def order(url: str) -> str | None:
        return SqlSource(url, table="t")._random_order()

    assert order("sqlite:///x.db") == "RANDOM()"
    assert order("postgresql+psycopg://u:p@h/db") == "RANDOM()"
    assert order("mysql+pymysql://u:p@h/db") == "RAND()"
    assert order("mssql+pyodbc://u:p@h/db") is None


def test_schema_from_source_infers_from_a_random_sample_and_says_so(
    project: Path, replace_training_data: Callable[[pd.DataFrame], None], capsys: pytest.CaptureFixture[str]
) -> None:
    replace_training_data(SORTED.assign(reading=[float(index % 7) for index in range(600)]))

    assert main(["schema", "--from-source", "--target", "class", "--sample-rows", "60"]) == 0

    assert "(a random sample of at most 60 rows)" in capsys.readouterr().out
    schema = yaml.safe_load((project / "config" / "schema.yaml").read_text())
    assert schema["target"]["classes"] == ["neg", "pos"]
