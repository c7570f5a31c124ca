from __future__ import annotations

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.components.data_ingestion import DataIngestion
from {{ cookiecutter.package_name }}.exception import InputError

from tests.frame_source import FrameSource


def test_split_is_stratified_and_complete(ingestion_artifact, settings) -> None:
    target, positive = settings.schema.target, settings.schema.positive_label
    train = pd.read_csv(ingestion_artifact.train_path)
    test = pd.read_csv(ingestion_artifact.test_path)

    assert len(train) + len(test) == ingestion_artifact.rows
    assert len(test) == pytest.approx(0.2 * ingestion_artifact.rows, abs=1)
    train_rate = (train[target] == positive).mean()
    test_rate = (test[target] == positive).mean()
    assert train_rate == pytest.approx(test_rate, abs=0.01)
    assert ingestion_artifact.data_fingerprint.startswith("sha256:")


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
