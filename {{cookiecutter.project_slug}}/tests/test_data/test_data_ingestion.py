from __future__ import annotations

import dataclasses
import itertools
import json
import math

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.components.data_ingestion import DataIngestion
from {{ cookiecutter.package_name }}.entity.artifact_entity import DataIngestionArtifact
from {{ cookiecutter.package_name }}.entity.data_schema import DataSchema
from {{ cookiecutter.package_name }}.exception import InputError
from {{ cookiecutter.package_name }}.utils.files import write_json

from tests.frame_source import FrameSource

# A table made here: an ID, two features, a column the schema does not name, and three classes of unequal size.
TABLE_SCHEMA = DataSchema(
    target="label",
    classes=("common", "middle", "rare"),
    column_types=(("row_id", "categorical"), ("reading", "numeric"), ("kind", "categorical")),
    drop_columns=("row_id",),
)


def _table(rows: int = 6000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "row_id": [f"R{index:06d}" for index in range(rows)],
            "reading": rng.normal(100, 20, rows).round(2),
            "kind": rng.choice(["pump", "valve", "fan"], rows),
            "comment": rng.choice(["", "checked", "noisy"], rows),
            "label": rng.choice(["common", "middle", "rare"], rows, p=[0.8, 0.15, 0.05]),
        }
    )


_RUNS = itertools.count()


def _own_folder(config):
    """The config with an output folder of its own: a later run must not overwrite the files of an earlier one."""
    return config.model_copy(update={"output_dir": config.output_dir / f"run-{next(_RUNS)}"})


def _ingest(configuration, frame: pd.DataFrame, schema: DataSchema = TABLE_SCHEMA, **settings) -> DataIngestionArtifact:
    """The ingestion step on `frame` with `schema` and `settings` over config.yaml's data_ingestion."""
    config = configuration.data_ingestion().model_copy(update={"data_schema": schema, **settings})
    return DataIngestion(_own_folder(config), FrameSource(frame)).run()


def _sides(artifact: DataIngestionArtifact, column: str = "row_id") -> tuple[set[str], set[str]]:
    """The values of `column` in the train set and in the test set."""
    return tuple(set(pd.read_csv(path, dtype=str)[column]) for path in (artifact.train_path, artifact.test_path))


def test_split_is_complete_and_near_the_asked_share(ingestion_artifact, settings) -> None:
    target, positive = settings.schema.target, settings.schema.positive_label
    train = pd.read_csv(ingestion_artifact.train_path)
    test = pd.read_csv(ingestion_artifact.test_path)

    assert len(train) + len(test) == ingestion_artifact.rows
    # A hash decides each row's side: the share is 20% up to sampling noise (sd about 0.7% of 3000 rows).
    assert len(test) == pytest.approx(0.2 * ingestion_artifact.rows, rel=0.15)
    assert (test[target] == positive).sum() > 0
    assert ingestion_artifact.class_counts[positive] == (pd.concat([train, test])[target] == positive).sum()
    assert ingestion_artifact.data_fingerprint.startswith("sha256:")


def _ids(path) -> set[int]:
    return set(pd.read_csv(path)["row"])


def test_rows_keep_their_side_when_data_is_appended_and_reordered(configuration, sample_frame) -> None:
    numbered = sample_frame.assign(row=range(len(sample_frame)))
    first = DataIngestion(_own_folder(configuration.data_ingestion()), FrameSource(numbered.iloc[:2000])).run()
    reordered = numbered.sample(frac=1.0, random_state=3)
    second = DataIngestion(_own_folder(configuration.data_ingestion()), FrameSource(reordered)).run()

    assert _ids(first.test_path) <= _ids(second.test_path)
    assert _ids(first.train_path) <= _ids(second.train_path)
    assert _ids(second.test_path) - set(range(2000)), "appended rows reach the test set too"


def test_a_key_column_decides_the_side(configuration, sample_frame) -> None:
    keyed = sample_frame.assign(row_id=range(len(sample_frame)))
    config = configuration.data_ingestion().model_copy(update={"key_column": "row_id"})
    first = pd.read_csv(DataIngestion(config, FrameSource(keyed)).run().test_path)["row_id"]
    changed = keyed.assign(aa_000=keyed["aa_000"] + 1).iloc[::-1]
    second = pd.read_csv(DataIngestion(config, FrameSource(changed)).run().test_path)["row_id"]

    assert set(first) == set(second)


def test_split_is_reproducible(configuration, sample_frame) -> None:
    first = DataIngestion(configuration.data_ingestion(), FrameSource(sample_frame)).run()
    first_test = first.test_path.read_bytes()
    second = DataIngestion(configuration.data_ingestion(), FrameSource(sample_frame)).run()

    assert second.test_path.read_bytes() == first_test
    assert second.data_fingerprint == first.data_fingerprint


def test_empty_source_is_refused(configuration, sample_frame) -> None:
    with pytest.raises(InputError, match="no rows"):
        DataIngestion(configuration.data_ingestion(), FrameSource(sample_frame.iloc[0:0])).run()


def test_missing_target_is_named(configuration, sample_frame, settings) -> None:
    without_target = sample_frame.drop(columns=[settings.schema.target])

    with pytest.raises(InputError, match=settings.schema.target):
        DataIngestion(configuration.data_ingestion(), FrameSource(without_target)).run()


def test_a_column_added_between_two_ingestions_moves_no_row(configuration) -> None:
    # Given a table split once, and the same table again with one more column the schema does not name
    table = _table()
    first = _ingest(configuration, table)
    widened = table.assign(batch=np.random.default_rng(1).integers(0, 1000, len(table)))

    # When it is split again
    second = _ingest(configuration, widened)

    # Then every row is on the side it was on: the production model is never tested on rows it trained on
    assert _sides(second) == _sides(first)
    assert "batch" not in second.split_spec.hashed_columns


def test_a_column_the_schema_names_does_move_rows_when_its_values_change(configuration) -> None:
    # Given a table split once, then the same rows with another reading in every row
    table = _table()
    first = _ingest(configuration, table)

    # When it is split again
    second = _ingest(configuration, table.assign(reading=table["reading"] + 1))

    # Then the split follows the schema's columns (a control for the test above): rows changed side
    assert _sides(second) != _sides(first)


def test_the_key_column_alone_decides_the_side(configuration) -> None:
    # Given a table whose rows share keys: five rows per order, their contents all different
    table = _table().assign(order=[f"O{index // 5:05d}" for index in range(6000)])

    # When it is split on the key
    artifact = _ingest(configuration, table, key_column="order")

    # Then all rows of an order are on one side, and the spec says the key decided
    train, test = _sides(artifact, "order")
    assert train
    assert test
    assert not train & test
    assert (artifact.split_spec.key_column, artifact.split_spec.hashed_columns) == ("order", ("order",))
    # ... and changing everything but the key moves no row
    changed = table.assign(reading=0.0, kind="other", label="common").iloc[::-1]
    assert _sides(_ingest(configuration, changed, key_column="order"), "order") == (train, test)


def test_each_class_is_split_at_test_size(configuration) -> None:
    # Given three classes of about 4800, 900 and 300 rows, and five classes of two rows
    tiny = [f"tiny{index // 2}" for index in range(10)]
    table = pd.concat([_table(), _table(10, seed=2).assign(row_id=[f"T{index}" for index in range(10)], label=tiny)])
    schema = dataclasses.replace(TABLE_SCHEMA, classes=("common", "middle", "rare", *sorted(set(tiny))))

    # When it is split
    artifact = _ingest(configuration, table, schema)

    # Then each class's test share is test_size within three standard errors of a hash's sampling noise
    test = pd.read_csv(artifact.test_path)
    for label, rows in table["label"].value_counts().items():
        if rows < 10:
            continue
        share = (test["label"] == label).sum() / rows
        assert abs(share - 0.2) <= 3 * math.sqrt(0.2 * 0.8 / rows), (label, share)
    # ... and a class of a few rows still has a row on each side
    train_ids, test_ids = _sides(artifact)
    for pair in ({f"T{index}", f"T{index + 1}"} for index in range(0, 10, 2)):
        assert pair & train_ids, pair
        assert pair & test_ids, pair
    assert artifact.split_spec.stratified_by == "label"


def test_a_small_table_keeps_min_test_rows_in_test_and_at_most_half(configuration) -> None:
    # Given tables of 1000 and 600 rows, with test_size 0.2 and min_test_rows 400
    # When they are split
    thousand = _ingest(configuration, _table(1000))
    six_hundred = _ingest(configuration, _table(600))

    # Then the test set is raised to about 400 rows, and never beyond half of a table
    assert thousand.split_spec.test_size == 0.4
    assert thousand.test_rows == pytest.approx(400, abs=3 * math.sqrt(1000 * 0.4 * 0.6))
    assert six_hundred.split_spec.test_size == 0.5
    assert "test_size raised from 0.2 to keep 400 test rows" in thousand.summary()


def test_rows_only_leave_the_test_set_when_a_small_table_grows(configuration) -> None:
    # Given a small table split once (its test set raised by min_test_rows), and the table grown by half
    table = _table(1500)
    first = _ingest(configuration, table.iloc[:1000])
    second = _ingest(configuration, table.iloc[::-1])

    # Then the smaller share moved some test rows to training, and no training row to the test set
    first_train, first_test = _sides(first)
    second_train, second_test = _sides(second)
    assert second.split_spec.test_size < first.split_spec.test_size
    assert first_train <= second_train
    assert first_test - second_test, "some test rows moved to training"
    assert second_test - set(table["row_id"].iloc[1000:]) <= first_test


def _dated(rows: int = 3000) -> pd.DataFrame:
    days = pd.date_range("2024-01-01", periods=rows, freq="D")
    shuffled = np.random.default_rng(4).permutation(rows)
    return _table(rows).assign(day=days[shuffled].strftime("%Y-%m-%d"), row_id=[f"R{index:06d}" for index in shuffled])


def test_a_time_split_puts_the_newest_rows_in_test(configuration) -> None:
    # Given rows of 3000 different days, in no order
    table = _dated()

    # When they are split by time
    artifact = _ingest(configuration, table, split="time", time_column="day")

    # Then the newest fifth is the test set, and the spec says from when
    train = pd.read_csv(artifact.train_path)
    test = pd.read_csv(artifact.test_path)
    assert len(test) == 600
    assert pd.to_datetime(test["day"]).min() > pd.to_datetime(train["day"]).max()
    assert artifact.split_spec.method == "time"
    assert artifact.split_spec.time_cutoff == f"{test['day'].min()}T00:00:00+00:00"
    assert "newest 20% by day" in artifact.summary()


def test_a_time_split_moves_rows_only_into_training_as_newer_rows_arrive(configuration) -> None:
    # Given a time split of 2500 days, then the same rows and 500 newer days
    table = _dated()
    older = table[pd.to_datetime(table["day"]) < pd.Timestamp("2024-01-01") + pd.Timedelta(days=2500)]
    first = _ingest(configuration, older, split="time", time_column="day")
    second = _ingest(configuration, table, split="time", time_column="day")

    # Then no row the first run trained on is tested on by the second
    assert not _sides(first)[0] & _sides(second)[1]
    assert _sides(first)[0] <= _sides(second)[0]


def test_a_time_split_on_numbers_and_a_time_column_that_is_not_time(configuration) -> None:
    # Given a time column of numbers (a year and week, say), and one of words
    table = _table(1000).assign(week=np.arange(1000) + 202400)

    # Then numbers order the rows; words are refused, naming the column and an example
    artifact = _ingest(configuration, table, split="time", time_column="week")
    assert pd.read_csv(artifact.test_path)["week"].min() == 202400 + 600
    with pytest.raises(InputError, match=r"time_column 'kind' has values that are neither dates nor numbers.*'pump'"):
        _ingest(configuration, table, split="time", time_column="kind")


def test_the_split_spec_is_saved_with_the_artifact(configuration, tmp_path) -> None:
    # Given a keyed split
    artifact = _ingest(configuration, _table(), key_column="row_id")

    # When its artifact is saved as the pipeline saves it
    write_json(tmp_path / "artifact.json", artifact)

    # Then artifact.json holds what decided the sides, and the summary says it
    spec = json.loads((tmp_path / "artifact.json").read_text())["split_spec"]
    assert spec == {
        "method": "hash",
        "test_size": 0.2,
        "requested_test_size": 0.2,
        "min_test_rows": 400,
        "seed": 42,
        "key_column": "row_id",
        "hashed_columns": ["row_id"],
        "stratified_by": "label",
        "time_column": None,
        "time_cutoff": None,
    }
    split = f"split {artifact.train_rows}/{artifact.test_rows}"
    assert artifact.summary().endswith(f"{split}: 20% by a hash of key row_id, per class")
