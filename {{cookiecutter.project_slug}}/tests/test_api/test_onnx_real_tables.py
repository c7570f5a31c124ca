"""The ONNX export of tables as users have them: categories with gaps and unseen values, yes/no columns and dates
give the answers of scikit-learn, from frames and from request records."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.constants import MISSING_CATEGORY, ONNX_MODEL_FILE
from {{ cookiecutter.package_name }}.exception import InputError
from {{ cookiecutter.package_name }}.inference.date_inputs import record_seconds
from {{ cookiecutter.package_name }}.inference.fast_predictor import (
    OnnxPredictor,
    ScikitLearnPredictor,
)
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.inference.onnx_inputs import OnnxInputs
from {{ cookiecutter.package_name }}.training import onnx_export
from {{ cookiecutter.package_name }}.training.date_features import DateParts
from {{ cookiecutter.package_name }}.training.onnx_converters import register_converters
from {{ cookiecutter.package_name }}.training.onnx_export import (
    PROBABILITY_TOLERANCE,
    TARGET_OPSET,
    VALUE_TOLERANCE,
    export_onnx,
)
from {{ cookiecutter.package_name }}.training.preprocessing import (
    MAX_CATEGORIES,
    CategoryEncoder,
    build_preprocessor,
)
from {{ cookiecutter.package_name }}.utils.frames import typed_features

from tests.real_shaped import REAL_SHAPED_TYPES, real_shaped_rows


def _assert_same_predictions(model: TabularModel, expected: np.ndarray, actual: np.ndarray) -> None:
    assert actual.shape == expected.shape
    assert np.abs(actual - expected).max() <= PROBABILITY_TOLERANCE
    assert (model.labels_from_probabilities(actual) == model.labels_from_probabilities(expected)).all()


ESTIMATORS = {
    "random_forest": (RandomForestClassifier(30, random_state=0), RandomForestRegressor(30, random_state=0)),
    "gradient_boosting": (
        HistGradientBoostingClassifier(max_iter=30, random_state=0),
        HistGradientBoostingRegressor(max_iter=30, random_state=0),
    ),
}


def _real_shaped_model(kind: str, estimator: str = "random_forest") -> tuple[TabularModel, pd.DataFrame]:
    """A model as `train` builds it (the project's preprocessing), and check rows with gaps and unseen categories."""
    frame, score = real_shaped_rows(900, seed=0)
    features = TabularModel(None, REAL_SHAPED_TYPES, ()).features(frame)
    preprocess = build_preprocessor(REAL_SHAPED_TYPES)
    classifier, regressor = (clone(step) for step in ESTIMATORS[estimator])
    if kind == "regression":
        pipeline = Pipeline([("preprocess", preprocess), ("estimator", regressor)])
        model = TabularModel(pipeline.fit(features, score), REAL_SHAPED_TYPES, (), interval=(0.9, 1.0))
    else:
        edges = [0.0] if kind == "binary" else [-1.0, 2.0]
        target = pd.Series(np.digitize(score, edges)).map(lambda number: f"class{number}")
        pipeline = Pipeline([("preprocess", preprocess), ("estimator", classifier)])
        pipeline.fit(features, target)
        model = TabularModel(pipeline, REAL_SHAPED_TYPES, tuple(pipeline.classes_), positive_label="class1")
    check, _ = real_shaped_rows(400, seed=1)
    check.loc[::9, "colour"] = "purple"  # never seen in training
    check.loc[::7, "site"] = "site-new"
    return model, check


@pytest.mark.parametrize("estimator", list(ESTIMATORS))
@pytest.mark.parametrize("kind", ["binary", "multiclass", "regression"])
def test_categories_with_gaps_and_unseen_values_and_booleans_export_and_match(kind, estimator, tmp_path) -> None:
    """Readings with decimals too: the graph computes in doubles, so it gives scikit-learn's answers to 1e-6."""
    model, check = _real_shaped_model(kind, estimator)

    export = export_onnx(model, check, tmp_path / ONNX_MODEL_FILE)

    assert export.path == tmp_path / ONNX_MODEL_FILE, export.reason
    predictor = OnnxPredictor(model, export.path)
    expected, actual = model.scores(check), predictor.predict_proba_frame(check)
    if kind == "regression":
        assert actual.shape == expected.shape
        assert np.abs(actual - expected).max() <= VALUE_TOLERANCE * np.abs(expected).max()
    else:
        _assert_same_predictions(model, expected, actual)


def test_a_measurement_beyond_its_tolerance_is_served_by_scikit_learn_with_one_line_why(tmp_path, monkeypatch, caplog):
    model, check = _real_shaped_model("regression")
    monkeypatch.setattr(onnx_export, "VALUE_TOLERANCE", -1.0)

    export = export_onnx(model, check, tmp_path / ONNX_MODEL_FILE)

    assert export.path is None
    assert not (tmp_path / ONNX_MODEL_FILE).exists()
    assert export.metadata()["runtime"] == "scikit-learn"
    assert "values (relative to their size) differ" in export.reason
    warnings = [record for record in caplog.records if record.levelname == "WARNING"]
    assert [record.getMessage().count("\n") for record in warnings] == [0]


def test_records_with_missing_categories_and_yes_no_values_get_the_answers_of_a_frame(tmp_path) -> None:
    """Markers, null and NaN are a missing category or date; booleans come as text, JSON true/false or 1/0."""
    model, check = _real_shaped_model("binary")
    predictor = OnnxPredictor(model, export_onnx(model, check, tmp_path / ONNX_MODEL_FILE).path)
    head = check.head(60).astype(object)
    records = head.where(head.notna(), None).to_dict(orient="records")
    for number, record in enumerate(records):
        if record["colour"] is None and number % 2:
            record["colour"] = "na"
        if record["site"] is None and number % 3 == 0:
            record["site"] = math.nan
        if record["valve"] is not None:
            yes = record["valve"] == "yes"
            record["valve"] = [yes, record["valve"].upper(), int(yes)][number % 3]
        elif number % 2:
            record["valve"] = "na"
        if record["serviced"] is None and number % 2:
            record["serviced"] = "na"

    from_records = predictor.predict_proba_records(records, ("na",))

    assert {record["colour"] for record in records} >= {"na", None, "purple"}
    assert {record["serviced"] for record in records} >= {"na", None}
    np.testing.assert_array_equal(from_records, predictor.predict_proba_frame(check.head(60)))
    _assert_same_predictions(model, ScikitLearnPredictor(model).predict_proba_records(records, ("na",)), from_records)


def test_a_value_that_is_no_yes_or_no_or_no_date_in_a_record_is_refused_by_name() -> None:
    inputs = OnnxInputs(("valve", "reading"), frozenset(), per_column=False, boolean=frozenset({"valve"}))

    matrix = inputs.from_records([{"valve": "Yes", "reading": 1}, {"valve": None, "reading": 2}])[inputs.MATRIX_INPUT]

    np.testing.assert_array_equal(matrix, np.array([[1, 1], [np.nan, 2]], dtype=np.float64))
    with pytest.raises(InputError, match=r"not true/false values in: valve \(e.g. 'maybe'\)"):
        inputs.from_records([{"valve": "maybe", "reading": 1}])
    dated = OnnxInputs(("serviced",), frozenset(), per_column=True, dates=frozenset({"serviced"}))
    with pytest.raises(
        InputError, match=r"not ISO dates \(2024-05-31\) from 1678 to 2261 in: serviced \(e.g. 'soon'\)"
    ):
        dated.from_records([{"serviced": "2024-02-29"}, {"serviced": "soon"}])


def test_the_category_encoder_converts_to_exactly_its_one_hot_columns() -> None:
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import StringTensorType

    frame, _ = real_shaped_rows(900, seed=0)
    categories = frame[["colour", "site"]]
    encoder = CategoryEncoder(handle_unknown="infrequent_if_exist", max_categories=MAX_CATEGORIES, sparse_output=False)
    encoder.fit(categories)
    register_converters()
    graph = convert_sklearn(
        encoder,
        initial_types=[("colour", StringTensorType([None, 1])), ("site", StringTensorType([None, 1]))],
        target_opset=TARGET_OPSET,
    )
    rows = pd.concat([categories, pd.DataFrame({"colour": ["purple", None], "site": ["site-new", "site3"]})])

    import onnxruntime

    session = onnxruntime.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    text = rows.astype(object).where(rows.notna(), MISSING_CATEGORY)
    feed = {column: text[column].to_numpy(dtype=object).reshape(-1, 1) for column in text.columns}
    (encoded,) = session.run(None, feed)

    assert encoder.infrequent_categories_[1] is not None  # the rare sites share a column
    np.testing.assert_array_equal(encoded, encoder.transform(rows))


def test_date_parts_convert_to_exactly_the_parts_pandas_gives() -> None:
    """Leap years (1900 is none, 2000 is one), ends of months and years, times of day, dates before 1970, gaps."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import DoubleTensorType

    days = pd.date_range("1895-01-01", "2105-12-31", freq="D")
    edges = pd.to_datetime(
        ["1900-02-28", "1900-03-01", "2000-02-29", "2000-12-31", "2024-02-29", "1969-12-31 23:59:59"], format="ISO8601"
    )
    stamps = days.append(edges) + pd.to_timedelta(np.arange(len(days) + len(edges)) % 1440, unit="min")
    seconds = (stamps - pd.Timestamp("1970-01-01")).total_seconds().to_numpy()
    frame = pd.DataFrame({"made": seconds, "sold": seconds[::-1]})
    frame.loc[::97, "made"] = np.nan
    parts = DateParts().fit(frame)
    register_converters()
    graph = convert_sklearn(
        parts,
        initial_types=[("made", DoubleTensorType([None, 1])), ("sold", DoubleTensorType([None, 1]))],
        target_opset=TARGET_OPSET,
    )

    import onnxruntime

    session = onnxruntime.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    (computed,) = session.run(None, {column: frame[[column]].to_numpy() for column in frame.columns})

    assert len(parts.get_feature_names_out()) == 10  # with the hour
    np.testing.assert_array_equal(computed, parts.transform(frame))


@pytest.mark.parametrize(
    "date",
    [
        "2024-02-29",
        "2024-02-29T13:05",
        " 2024-02-29 13:05:09 ",
        "2024-02-29T13:05:09Z",
        "2024-02-29T13:05:09+05:30",
        "1969-12-31T23:59:59-01:00",
        "2024-02-29T13:05:09.25",
        "20240229",
        "2023-02-29",
        "1600-01-01",
        1_700_000_000,
    ],
)
def test_a_date_in_a_record_becomes_the_seconds_a_frame_of_the_records_gives(date) -> None:
    """Plain ISO dates are parsed one by one, other values by pandas: both as `typed_features` reads a frame, or
    failing as it fails."""
    records = [{"when": date}, {"when": None}]
    try:
        expected = typed_features(pd.DataFrame.from_records(records), {"when": "datetime"})["when"].to_numpy()
    except Exception as error:  # whatever reading the frame raises, the records must raise too
        with pytest.raises(type(error), match=re.escape(str(error))):
            record_seconds([date, None], "when")
        return

    np.testing.assert_array_equal(record_seconds([date, None], "when")[:, 0], expected)


def test_columns_named_with_any_characters_are_fed_by_their_names(tmp_path) -> None:
    """skl2onnx renames an input such as "reading [V]" or "1st colour": the export gives it its column's name back."""
    names = {"reading": "reading [V]", "colour": "1st colour", "valve": "valve?"}
    types = {names.get(column, column): kind for column, kind in REAL_SHAPED_TYPES.items()}
    frame, score = real_shaped_rows(600, seed=2)
    frame = frame.rename(columns=names)
    target = pd.Series(np.where(score > 0, "high", "low"))
    pipeline = Pipeline([("preprocess", build_preprocessor(types)), ("estimator", RandomForestClassifier(20))])
    pipeline.fit(TabularModel(None, types, ()).features(frame), target)
    model = TabularModel(pipeline, types, tuple(pipeline.classes_), positive_label="high")

    export = export_onnx(model, frame, tmp_path / ONNX_MODEL_FILE)

    assert export.path == tmp_path / ONNX_MODEL_FILE, export.reason
    predictor = OnnxPredictor(model, export.path)
    assert {item.name for item in predictor.session.get_inputs()} == set(types)
    head = frame.head(30).astype(object)
    records = head.where(head.notna(), None).to_dict(orient="records")
    _assert_same_predictions(model, model.scores(frame.head(30)), predictor.predict_proba_records(records))
