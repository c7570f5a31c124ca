from __future__ import annotations

import joblib
import numpy as np
import pandas as pd
import pytest


def test_preprocessor_is_fitted_on_training_rows_only(transformation_artifact, validation_artifact, settings) -> None:
    train = pd.read_csv(validation_artifact.train_path)
    preprocessor = joblib.load(transformation_artifact.preprocessor_path)

    imputer = preprocessor.named_steps["impute"]
    expected_median = train[settings.schema.feature_columns[0]].median()
    assert imputer.statistics_[0] == pytest.approx(expected_median)


def test_training_rows_are_rebalanced(transformation_artifact, configuration) -> None:
    ratio = configuration.data_transformation().minority_ratio
    with np.load(transformation_artifact.train_arrays_path) as arrays:
        labels = arrays["labels"]

    positives, negatives = int(labels.sum()), int((labels == 0).sum())
    assert positives == pytest.approx(ratio * negatives, abs=1)
    assert transformation_artifact.rows_after_resampling > transformation_artifact.rows_before_resampling
    assert not np.isnan(np.load(transformation_artifact.train_arrays_path)["features"]).any()
