from __future__ import annotations

import joblib
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.training.preprocessing import (
    NativeCategories,
    build_preprocessor,
)
from {{ cookiecutter.package_name }}.utils.frames import typed_features


def test_preprocessing_is_fitted_on_training_rows_only(trainer_artifact, validation_artifact, settings) -> None:
    train = pd.read_csv(validation_artifact.train_path, na_values=["na"])
    pipeline = TabularModel.load(trainer_artifact.model_path).pipeline

    imputer = pipeline.named_steps["preprocess"].named_transformers_["numeric"].named_steps["impute"]
    expected_median = train[settings.schema.feature_columns[0]].median()
    assert imputer.statistics_[0] == pytest.approx(expected_median)


def test_training_rows_are_typed_and_labels_encoded(transformation_artifact, configuration, settings) -> None:
    data = joblib.load(transformation_artifact.train_data_path)

    assert list(data["features"].columns) == list(settings.schema.feature_columns)
    assert set(data["labels"]) == {0, 1}
    assert transformation_artifact.class_counts["pos"] == int(data["labels"].sum())
    assert transformation_artifact.oversample_ratio == configuration.data_transformation().minority_ratio


def test_unseen_and_missing_categories_give_no_error() -> None:
    types = {"colour": "categorical", "flag": "boolean", "size": "numeric"}
    train = pd.DataFrame(
        {"colour": ["red", "blue", None, "red"], "flag": [1.0, 0.0, None, 1.0], "size": [1.0, None, 3.0, 4.0]}
    )
    preprocessor = build_preprocessor(types).fit(train)

    fresh = pd.DataFrame({"colour": ["purple", None], "flag": [None, 0.0], "size": [None, 2.0]})
    transformed = preprocessor.transform(fresh)

    assert transformed.shape[0] == 2
    assert not pd.isna(transformed).any()
    native = build_preprocessor(types, "native").fit(train).transform(fresh)
    assert isinstance(native["colour"].dtype, pd.CategoricalDtype)
    assert list(native["colour"].cat.categories) == ["blue", "red"]
    assert native["colour"].isna().all()


@pytest.mark.parametrize(
    "values",
    [
        ["red", "blue", None, "red", "purple", " red", "blue"] * 300,
        [1, 1.0, True, "1", None, 2.5, "x", False, 0, float("nan")] * 200,
    ],
    ids=["text", "mixed"],
)
def test_native_categories_are_the_text_of_each_value_among_those_seen_in_training(values) -> None:
    """Each distinct value is looked up once: the result is what each value's own text gives, 1, 1.0 and True apart."""
    encoder = NativeCategories().fit(pd.DataFrame({"colour": ["red", "blue", "1", "True", "2.5", 1.0]}))
    column = pd.Series(values, dtype=object)

    encoded = encoder.transform(pd.DataFrame({"colour": column}))["colour"]

    categories = encoder.categories_["colour"]
    one_by_one = [str(value) if not pd.isna(value) and str(value) in categories else None for value in values]
    assert list(encoded.cat.categories) == categories == ["1", "1.0", "2.5", "True", "blue", "red"]
    assert [None if pd.isna(value) else value for value in encoded.astype(object)] == one_by_one


def test_dates_become_calendar_parts_and_the_hour_only_when_training_saw_times() -> None:
    raw = pd.DataFrame(
        {
            "day": ["2024-02-29", "2023-12-31", None],
            "stamp": ["2024-02-29T18:30:00", "2023-12-31 07:00:00+02:00", "2024-01-01T00:00:00Z"],
        }
    )
    types = {"day": "datetime", "stamp": "datetime"}
    features = typed_features(raw, types)
    preprocessor = build_preprocessor(types).fit(features)

    names = list(preprocessor.get_feature_names_out())
    parts = pd.DataFrame(preprocessor.transform(typed_features(raw, types)), columns=names)

    assert names == [
        *(f"day_{part}" for part in ("year", "month", "day_of_week", "day_of_year")),
        *(f"stamp_{part}" for part in ("year", "month", "day_of_week", "day_of_year", "hour")),
    ]
    assert parts.loc[0, ["day_year", "day_month", "day_day_of_week", "day_day_of_year"]].tolist() == [2024, 2, 3, 60]
    # A zone is converted to UTC: 07:00 at +02:00 is 05:00 UTC.
    assert parts["stamp_hour"].tolist() == [18, 5, 0]
    assert not parts.isna().any().any()  # the missing date is imputed
