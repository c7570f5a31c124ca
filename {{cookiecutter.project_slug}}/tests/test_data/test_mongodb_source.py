"""MongoDB extraction. mongomock stands in for the server here; CI runs the same code against a real one."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import mongomock
import pandas as pd
import pytest
import yaml

from {{ cookiecutter.package_name }}.builders.data_source import build_data_source
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.data_access.mongodb_source import MongoDBSource
from {{ cookiecutter.package_name }}.exception import ConfigError, InputError, StorageError

# The first half of the documents is one class: a sample of the first ones would never see the other one.
SORTED = pd.DataFrame({"class": ["neg"] * 300 + ["pos"] * 300, "row": [f"r{index}" for index in range(600)]})


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


def test_sample_draws_random_documents_with_the_sample_stage() -> None:
    client = mongomock.MongoClient()
    source = _source(client, batch_size=7)
    source.write(SORTED)

    sample = source.read_sample(100)

    assert MongoDBSource.sample_pipeline(100) == [{"$sample": {"size": 100}}]
    assert len(sample) == 100
    assert "_id" not in sample.columns
    assert sample["row"].is_unique
    assert set(sample["class"]) == {"neg", "pos"}


def test_a_document_drawn_twice_is_kept_once(monkeypatch: pytest.MonkeyPatch) -> None:
    class RepeatingSample:
        """A collection whose `$sample` answers one document twice, as a server's may."""

        def aggregate(self, pipeline, **options):
            return iter([{"_id": 1, "row": "a"}, {"_id": 2, "row": "b"}, {"_id": 1, "row": "a"}])

    source = _source(mongomock.MongoClient())
    monkeypatch.setattr(source, "_existing_collection", RepeatingSample)

    assert source.read_sample(3)["row"].tolist() == ["a", "b"]


def test_schema_from_source_infers_from_a_random_sample_and_says_so(
    project: Path, replace_training_data: Callable[[pd.DataFrame], None], capsys: pytest.CaptureFixture[str]
) -> None:
    replace_training_data(SORTED.assign(reading=[float(index % 7) for index in range(600)]))

    assert main(["schema", "--from-source", "--target", "class", "--sample-rows", "60"]) == 0

    assert "(a random sample of at most 60 documents)" in capsys.readouterr().out
    schema = yaml.safe_load((project / "config" / "schema.yaml").read_text())
    assert schema["target"]["classes"] == ["neg", "pos"]
