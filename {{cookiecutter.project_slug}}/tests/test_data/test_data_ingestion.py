from __future__ import annotations

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.components.data_ingestion import DataIngestion
from {{ cookiecutter.package_name }}.exception import InputError

from tests.frame_source import FrameSource


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
    first = DataIngestion(configuration.data_ingestion(), FrameSource(numbered.iloc[:2000])).run()
    reordered = numbered.sample(frac=1.0, random_state=3)
    second = DataIngestion(configuration.data_ingestion(), FrameSource(reordered)).run()

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
