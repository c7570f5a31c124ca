"""{% if cookiecutter.model_library == "lightgbm" %}LightGBM{% else %}XGBoost{% endif %}, native categories included, exports to ONNX and the graph gives the saved model's answers to 1e-6:
the same labels, from frames and from request records (categories with gaps and unseen values, numbers with gaps)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.constants import ONNX_MODEL_FILE
from {{ cookiecutter.package_name }}.inference.fast_predictor import (
    OnnxPredictor,
    ScikitLearnPredictor,
)
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.training.estimators import (
    build_estimator,
    categorical_encoding,
)
from {{ cookiecutter.package_name }}.training.onnx_export import (
    PROBABILITY_TOLERANCE,
    VALUE_TOLERANCE,
    export_onnx,
)
from {{ cookiecutter.package_name }}.training.preprocessing import (
    build_preprocessor,
    native_categorical_columns,
)

from tests.real_shaped import REAL_SHAPED_TYPES, real_shaped_rows

LIBRARY = "{{ cookiecutter.model_library }}"


def _booster_model(kind: str, **params: int) -> tuple[TabularModel, pd.DataFrame]:
    """The booster with the preprocessing `train` builds for it, and check rows with gaps and unseen categories."""
    frame, score = real_shaped_rows(900, seed=0)
    features = TabularModel(None, REAL_SHAPED_TYPES, ()).features(frame)
    preprocess = build_preprocessor(REAL_SHAPED_TYPES, categorical_encoding(LIBRARY))
    regression = kind == "regression"
    estimator = build_estimator(LIBRARY, {"n_estimators": 40, **params}, random_state=0, regression=regression)
    pipeline = Pipeline([("preprocess", preprocess), ("estimator", estimator)])
    if regression:
        model = TabularModel(pipeline.fit(features, score), REAL_SHAPED_TYPES, (), interval=(0.9, 1.0))
    else:
        edges = [0.0] if kind == "binary" else [-1.0, 2.0]
        # Class numbers, as `train` gives them (XGBoost takes no other labels).
        pipeline.fit(features, np.digitize(score, edges))
        classes = tuple(f"class{number}" for number in pipeline.classes_)
        model = TabularModel(pipeline, REAL_SHAPED_TYPES, classes, positive_label="class1")
    check, _ = real_shaped_rows(2000, seed=1)
    check.loc[::9, "colour"] = "purple"  # never seen in training
    check.loc[::7, "site"] = "site-new"
    return model, check


@pytest.mark.parametrize("kind", ["binary", "multiclass", "regression"])
def test_the_booster_with_native_categories_exports_and_gives_the_saved_models_answers(kind, tmp_path) -> None:
    model, check = _booster_model(kind)

    export = export_onnx(model, check, tmp_path / ONNX_MODEL_FILE)

    assert native_categorical_columns(model.pipeline.steps[0][1]) == ["colour", "site"]
    assert export.path == tmp_path / ONNX_MODEL_FILE, export.reason
    expected, served = model.scores(check), OnnxPredictor(model, export.path).predict_proba_frame(check)
    assert served.shape == expected.shape
    if kind == "regression":
        assert np.abs(served - expected).max() <= VALUE_TOLERANCE * np.abs(expected).max()
    else:
        assert np.abs(served - expected).max() <= PROBABILITY_TOLERANCE
        assert (model.labels_from_probabilities(served) == model.labels_from_probabilities(expected)).all()


def test_records_with_markers_and_unseen_categories_get_the_saved_models_answers(tmp_path) -> None:
    model, check = _booster_model("binary")
    predictor = OnnxPredictor(model, export_onnx(model, check, tmp_path / ONNX_MODEL_FILE).path)
    head = check.head(80).astype(object)
    records = head.where(head.notna(), None).to_dict(orient="records")
    for number, record in enumerate(records):
        if record["colour"] is None and number % 2:
            record["colour"] = "na"

    served = predictor.predict_proba_records(records, ("na",))

    expected = ScikitLearnPredictor(model).predict_proba_records(records, ("na",))
    assert {record["colour"] for record in records} >= {"na", None, "purple"}
    assert np.abs(served - expected).max() <= PROBABILITY_TOLERANCE
    assert (model.labels_from_probabilities(served) == model.labels_from_probabilities(expected)).all()
{%- if cookiecutter.model_library == "xgboost" %}


def test_many_deep_xgboost_trees_give_xgboosts_values_exactly(tmp_path) -> None:
    # XGBoost adds its trees in floats: a sum in doubles would differ from it by more than 1e-6 of the values' size.
    model, check = _booster_model("regression", n_estimators=300, max_depth=8)

    export = export_onnx(model, check, tmp_path / ONNX_MODEL_FILE)

    assert export.path is not None, export.reason
    served = OnnxPredictor(model, export.path).predict_proba_frame(check)
    np.testing.assert_array_equal(served, model.scores(check))
{%- endif %}
