from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

from {{ cookiecutter.package_name }}.components.data_validation import DataValidation
from {{ cookiecutter.package_name }}.exception import DataValidationError


def _rewrite_train(ingestion_artifact, change) -> None:
    train = pd.read_csv(ingestion_artifact.train_path)
    change(train).to_csv(ingestion_artifact.train_path, index=False)


def test_valid_data_passes_with_a_readable_report(configuration, ingestion_artifact) -> None:
    artifact = DataValidation(configuration.data_validation(), ingestion_artifact).run()

    report = yaml.safe_load(artifact.report_path.read_text())
    assert report["status"] == "passed"
    assert report["drift"]["reference_version"] is None
    assert artifact.profile_path.is_file()
    assert not artifact.drift_detected


def test_missing_columns_are_all_named(configuration, ingestion_artifact) -> None:
    _rewrite_train(ingestion_artifact, lambda frame: frame.drop(columns=["aa_000", "ag_001"]))

    with pytest.raises(DataValidationError, match="aa_000, ag_001"):
        DataValidation(configuration.data_validation(), ingestion_artifact).run()
    report = yaml.safe_load((configuration.data_validation().output_dir / "report.yaml").read_text())
    assert report["status"] == "failed"


def test_non_numeric_values_are_named(configuration, ingestion_artifact) -> None:
    def corrupt(frame):
        frame["ab_000"] = frame["ab_000"].astype(object)
        frame.loc[frame.index[3], "ab_000"] = "broken"
        return frame

    _rewrite_train(ingestion_artifact, corrupt)

    with pytest.raises(DataValidationError, match=r"ab_000.*broken"):
        DataValidation(configuration.data_validation(), ingestion_artifact).run()


def test_unknown_labels_are_refused(configuration, ingestion_artifact, settings) -> None:
    target = settings.schema.target

    def relabel(frame):
        frame.loc[frame.index[0], target] = "maybe"
        return frame

    _rewrite_train(ingestion_artifact, relabel)

    with pytest.raises(DataValidationError, match="maybe"):
        DataValidation(configuration.data_validation(), ingestion_artifact).run()


def test_drift_is_measured_against_the_reference_profile(configuration, ingestion_artifact, tmp_path) -> None:
    reference = tmp_path / "reference_profile.json"
    shutil.copy2(DataValidation(configuration.data_validation(), ingestion_artifact).run().profile_path, reference)
    with_reference = configuration.data_validation().model_copy(
        update={"reference_profile_path": reference, "reference_version": "v0001"}
    )

    unchanged = DataValidation(with_reference, ingestion_artifact).run()
    assert unchanged.drifted_columns == ()

    shifted_columns = ["aa_000", "ac_000", "ag_002"]

    def shift(frame):
        frame[shifted_columns] = frame[shifted_columns] * 50 + 1000
        return frame

    _rewrite_train(ingestion_artifact, shift)
    drifted = DataValidation(with_reference, ingestion_artifact).run()
    assert set(shifted_columns) <= set(drifted.drifted_columns)

    strict_drift = with_reference.drift.model_copy(update={"fail_on_drift": True, "max_drifted_share": 0.0})
    strict = with_reference.model_copy(update={"drift": strict_drift})
    with pytest.raises(DataValidationError, match="drift against v0001"):
        DataValidation(strict, ingestion_artifact).run()
