"""SQL extraction through SQLAlchemy, on SQLite files (the template's own CI also runs it against PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.data_access.sql_source import SqlSource, resolve_sqlite_path
from {{ cookiecutter.package_name }}.exception import ConfigError, InputError, StorageError

FRAME = pd.DataFrame({"class": ["pos", "neg", "neg"], "aa_000": ["1", "na", "3"]})


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
