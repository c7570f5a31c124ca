"""MongoDB extraction. mongomock stands in for the server here; CI runs the same code against a real one."""

from __future__ import annotations

import math

import mongomock
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.data_access import build_data_source
from {{ cookiecutter.package_name }}.data_access.mongodb_source import MongoDBSource
from {{ cookiecutter.package_name }}.exception import ConfigError, InputError, StorageError


def _source(client, **options) -> MongoDBSource:
    return MongoDBSource("mongodb://127.0.0.1:27017", "plant", "readings", ("na",), client=client, **options)


def test_reads_every_batch_drops_id_and_turns_na_into_missing() -> None:
    client = mongomock.MongoClient()
    client["plant"]["readings"].insert_many([{"class": "neg", "aa_000": "na" if i % 2 else str(i)} for i in range(25)])

    frame = _source(client, batch_size=4).read()

    assert len(frame) == 25
    assert "_id" not in frame.columns
    assert frame["aa_000"].isna().sum() == 12
    assert not math.isnan(float(frame["aa_000"].iloc[0]))


def test_missing_database_and_collection_are_named() -> None:
    client = mongomock.MongoClient()
    with pytest.raises(InputError, match="database 'plant' does not exist"):
        _source(client).read()

    client["plant"]["other"].insert_one({"x": 1})
    with pytest.raises(InputError, match=r"collection 'plant\.readings' does not exist"):
        _source(client).read()


def test_write_replaces_the_documents() -> None:
    client = mongomock.MongoClient()
    source = _source(client, batch_size=2)
    frame = pd.DataFrame({"class": ["pos", "neg", "neg"], "aa_000": [1.0, None, 3.0]})

    assert source.write(frame) == 3
    assert source.write(frame) == 3
    assert client["plant"]["readings"].count_documents({}) == 3


def test_unreachable_server_fails_fast_without_showing_the_password() -> None:
    source = MongoDBSource(
        "mongodb://reader:s3cret@127.0.0.1:9/?directConnection=true", "plant", "readings", timeout_seconds=0.3
    )

    with pytest.raises(StorageError) as caught:
        source.read()

    assert "cannot reach MongoDB" in str(caught.value)
    assert "s3cret" not in str(caught.value)
    assert "reader:***@" in str(caught.value)


def test_missing_connection_string_is_a_config_error(project, monkeypatch) -> None:
    monkeypatch.delenv("MONGODB_URL", raising=False)

    with pytest.raises(ConfigError, match="MONGODB_URL"):
        build_data_source(load_settings(project))
