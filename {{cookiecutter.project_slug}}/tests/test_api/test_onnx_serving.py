"""The ONNX export the server runs: same labels and probabilities as scikit-learn, or a logged fallback."""

from __future__ import annotations

import dataclasses
import logging
import math

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.components.model_trainer import ModelTrainer
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.constants import ONNX_MODEL_FILE
from {{ cookiecutter.package_name }}.entity.artifact_entity import ModelTrainerArtifact
from {{ cookiecutter.package_name }}.exception import InputError
from {{ cookiecutter.package_name }}.inference.fast_predictor import (
    OnnxPredictor,
    ScikitLearnPredictor,
    labelled,
    load_predictor,
)
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.inference.onnx_inputs import OnnxInputs
from {{ cookiecutter.package_name }}.training import onnx_export
from {{ cookiecutter.package_name }}.training.custom_estimator import CostSensitiveClassifier
from {{ cookiecutter.package_name }}.training.onnx_export import (
    PROBABILITY_TOLERANCE,
    VALUE_TOLERANCE,
    export_onnx,
)
from {{ cookiecutter.package_name }}.utils.frames import coerce_numeric, read_csv_file


@pytest.fixture
def trainer_artifact(configuration, transformation_artifact, settings) -> ModelTrainerArtifact:
    """A random forest whatever model_library chose: these tests are about the ONNX path (the boosters' export is
    tested in test_onnx_boosters.py)."""
    forest = configuration.model_trainer().model_copy(update={"estimator": "random_forest"})
    return ModelTrainer(forest, transformation_artifact).run()


def _test_set(settings, validation_artifact) -> pd.DataFrame:
    return read_csv_file(validation_artifact.test_path, settings.schema.missing_values)


def _assert_same_predictions(model, expected: np.ndarray, actual: np.ndarray) -> None:
    assert actual.shape == expected.shape
    assert np.abs(actual - expected).max() <= PROBABILITY_TOLERANCE
    assert (model.labels_from_probabilities(actual) == model.labels_from_probabilities(expected)).all()


def test_export_gives_the_labels_and_probabilities_of_scikit_learn_on_the_test_set(
    trainer_artifact, validation_artifact, settings, tmp_path
) -> None:
    model = TabularModel.load(trainer_artifact.model_path)
    test = _test_set(settings, validation_artifact)

    export = export_onnx(model, test, tmp_path / ONNX_MODEL_FILE)

    assert export.path == tmp_path / ONNX_MODEL_FILE, export.reason
    assert export.path.is_file()
    predictor = OnnxPredictor(model, export.path)
    _assert_same_predictions(model, model.predict_proba(test), predictor.predict_proba_frame(test))


def test_records_reach_onnx_as_the_same_numbers_as_a_frame(trainer_artifact, validation_artifact, settings, tmp_path):
    model = TabularModel.load(trainer_artifact.model_path)
    test = _test_set(settings, validation_artifact)
    predictor = OnnxPredictor(model, export_onnx(model, test, tmp_path / ONNX_MODEL_FILE).path)
    # As clients send them: numbers as text and the schema's missing-value markers.
    raw = pd.read_csv(validation_artifact.test_path, dtype=str, keep_default_na=False).head(40)
    records = raw.replace({"": settings.schema.missing_values[0]}).to_dict(orient="records")

    from_records = predictor.predict_proba_records(records, settings.schema.missing_values)

    np.testing.assert_array_equal(from_records, predictor.predict_proba_frame(test.head(40)))


def test_numbers_only_take_one_matrix_input_and_a_graph_with_one_input_per_column_still_serves(
    trainer_artifact, validation_artifact, settings, tmp_path, monkeypatch
) -> None:
    """One float matrix costs onnxruntime a third of one input per column; graphs exported with one input per
    column (by earlier versions of this code) are served as before."""
    model = TabularModel.load(trainer_artifact.model_path)
    test = _test_set(settings, validation_artifact)
    matrix = OnnxPredictor(model, export_onnx(model, test, tmp_path / ONNX_MODEL_FILE).path)
    with monkeypatch.context() as patch:
        per_column = dataclasses.replace(onnx_export.onnx_inputs_for(model), per_column=True)
        patch.setattr(onnx_export, "onnx_inputs_for", lambda *_args, **_kwargs: per_column)
        older_graph = onnx_export.convert_to_onnx(model)
    older = OnnxPredictor(model, older_graph)

    assert [item.name for item in matrix.session.get_inputs()] == ["input"]
    assert [item.name for item in older.session.get_inputs()] == list(model.feature_columns)
    np.testing.assert_array_equal(older.predict_proba_frame(test), matrix.predict_proba_frame(test))
    records = pd.read_csv(validation_artifact.test_path, dtype=str, keep_default_na=False).head(5)
    records = records.replace({"": settings.schema.missing_values[0]}).to_dict(orient="records")
    np.testing.assert_array_equal(
        older.predict_proba_records(records, settings.schema.missing_values),
        matrix.predict_proba_records(records, settings.schema.missing_values),
    )


def test_train_stores_model_onnx_beside_the_model_and_the_server_uses_it(project, edit_config) -> None:
    chosen = load_settings(project).model.estimator
    edit_config(f"estimator: {chosen}", "estimator: random_forest", "model_config.yaml")
    assert main(["train"]) == 0
    production = build_model_registry(load_settings(project)).current()

    assert (production.directory / ONNX_MODEL_FILE).is_file()
    assert production.metadata["serving_runtime"]["runtime"] == "onnxruntime"
    predictor = load_predictor(TabularModel.load(production.model_path), production.directory / ONNX_MODEL_FILE)
    assert predictor.runtime == "onnxruntime"


def test_unconvertible_estimator_falls_back_to_scikit_learn_and_says_why(tmp_path, caplog) -> None:
    frame, target = _synthetic_rows(classes=2)
    model = _contract_model(frame, target, CostSensitiveClassifier(RandomForestClassifier(5, random_state=0)))

    with caplog.at_level(logging.WARNING):
        export = export_onnx(model, frame, tmp_path / ONNX_MODEL_FILE)

    assert export.path is None
    assert not (tmp_path / ONNX_MODEL_FILE).exists()
    assert "not convertible" in export.reason
    assert "CostSensitiveClassifier" in export.reason
    assert export.metadata()["runtime"] == "scikit-learn"
    assert "scikit-learn will serve this model" in caplog.text
    with caplog.at_level(logging.INFO):
        predictor = load_predictor(model, tmp_path / ONNX_MODEL_FILE)
    assert isinstance(predictor, ScikitLearnPredictor)
    assert "serving with scikit-learn" in caplog.text
    np.testing.assert_array_equal(predictor.predict_proba_frame(frame), model.predict_proba(frame))


def test_an_export_that_disagrees_with_scikit_learn_is_not_kept(
    trainer_artifact, validation_artifact, settings, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(onnx_export, "PROBABILITY_TOLERANCE", -1.0)
    model = TabularModel.load(trainer_artifact.model_path)

    export = export_onnx(model, _test_set(settings, validation_artifact), tmp_path / ONNX_MODEL_FILE)

    assert export.path is None
    assert not (tmp_path / ONNX_MODEL_FILE).exists()
    assert "disagrees" in export.reason


class _ContractModel:
    """A saved model with a ColumnTransformer, shaped like inference/model.py's interface (pipeline, classes, ...)."""

    def __init__(self, pipeline: Pipeline, numeric: list[str], categorical: list[str]) -> None:
        self.pipeline = pipeline
        self.numeric, self.categorical = numeric, categorical
        self.feature_columns = tuple(numeric + categorical)
        self.feature_types = {**dict.fromkeys(numeric, "numeric"), **dict.fromkeys(categorical, "categorical")}
        self.classes = tuple(str(label) for label in pipeline.classes_)
        self.is_regression = False
        self.threshold = 0.5

    def _frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        columns = {column: frame[column].astype(str) for column in self.categorical}
        return pd.concat([coerce_numeric(frame, self.numeric), pd.DataFrame(columns, index=frame.index)], axis=1)

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return self.pipeline.predict_proba(self._frame(frame))

    scores = predict_proba

    def labels_from_probabilities(self, probabilities: np.ndarray) -> np.ndarray:
        return np.asarray(self.classes)[probabilities.argmax(axis=1)]


def _synthetic_rows(classes: int) -> tuple[pd.DataFrame, pd.Series]:
    generator = np.random.default_rng(0)
    rows = 600
    frame = pd.DataFrame(
        {
            "temperature": generator.normal(20, 5, rows),
            "pressure": np.where(generator.random(rows) < 0.1, np.nan, generator.normal(1, 0.2, rows)),
            "site": generator.choice(["north", "south", "east"], rows),
        }
    )
    target = (frame["temperature"] // 5 + (frame["site"] == "north")).astype(int) % classes
    return frame, target.astype(str)


def _contract_model(frame: pd.DataFrame, target: pd.Series, estimator) -> _ContractModel:
    numeric, categorical = ["temperature", "pressure"], ["site"]
    preprocess = ColumnTransformer(
        [
            ("numeric", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
            ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical),
        ]
    )
    pipeline = Pipeline([("preprocess", preprocess), ("estimator", estimator)])
    return _ContractModel(pipeline.fit(frame, target), numeric, categorical)


@pytest.mark.parametrize("classes", [2, 3], ids=["binary", "multiclass"])
def test_numeric_and_categorical_columns_convert_and_match(classes, tmp_path) -> None:
    frame, target = _synthetic_rows(classes)
    model = _contract_model(frame, target, RandomForestClassifier(30, random_state=0))

    export = export_onnx(model, frame, tmp_path / ONNX_MODEL_FILE)

    assert export.path is not None, export.reason
    predictor = OnnxPredictor(model, export.path)
    _assert_same_predictions(model, model.predict_proba(frame), predictor.predict_proba_frame(frame))
    head = frame.head(25)
    records = head.astype(object).where(head.notna(), None).to_dict(orient="records")
    np.testing.assert_array_equal(predictor.predict_proba_records(records), predictor.predict_proba_frame(head))


@pytest.mark.parametrize(
    ("records", "markers"),
    [
        ([{"a": 1, "b": 2.5}, {"a": None, "b": True}], ("na",)),
        ([{"a": "1000", "b": " 12 "}, {"a": "1e3", "b": False}], ("na",)),
        ([{"a": "na", "b": 3}, {"a": 4, "b": None}], ("na",)),
        ([{"a": "-1", "b": -1}, {"a": 2, "b": "7"}], ("-1",)),
        ([{"a": 2**24 + 1, "b": 2**53 + 1}, {"a": "16777217.000000001", "b": 0.1}], ("na",)),
    ],
    ids=["numbers-and-null", "numbers-as-text", "marker", "marker-that-reads-as-a-number", "not-exact-in-float32"],
)
def test_records_become_the_numbers_that_one_value_at_a_time_gives(records, markers) -> None:
    """Numbers are converted in one numpy call where that gives the same as float() on each value, markers aside."""
    inputs = OnnxInputs(("a", "b"), frozenset(), per_column=False)

    matrix = inputs.from_records(records, markers)[OnnxInputs.MATRIX_INPUT]

    expected = [
        [math.nan if value is None or value in markers else float(value) for value in row.values()] for row in records
    ]
    np.testing.assert_array_equal(matrix, np.array(expected, dtype=np.float64))


def test_a_too_large_integer_or_text_in_a_record_is_refused_by_name() -> None:
    inputs = OnnxInputs(("a", "b"), frozenset(), per_column=False)

    with pytest.raises(InputError, match="infinite or too large numbers in: a"):
        inputs.from_records([{"a": 10**400, "b": 1}])
    with pytest.raises(InputError, match=r"infinite or too large numbers in: b(?!,)"):  # past a float64
        inputs.from_records([{"a": 1, "b": 2}, {"a": 3, "b": "1e309"}])
    with pytest.raises(InputError, match=r"non-numeric values in: b \(e.g. 'lots'\)"):
        inputs.from_records([{"a": 1, "b": "lots"}])
    for written in ["1_000", "١٢"]:  # float() reads both; a CSV file holding them is refused
        with pytest.raises(InputError, match=r"non-numeric values in: b"):
            inputs.from_records([{"a": 1, "b": 2}, {"a": 3, "b": written}])


@pytest.mark.parametrize(
    ("classes", "threshold"),
    [(("neg", "pos"), 0.3), (("neg", "pos"), None), (("a", "b", "c"), None)],
    ids=["binary-with-threshold", "binary", "multiclass"],
)
def test_labels_and_their_probabilities_are_the_models_decision_rounded(classes, threshold) -> None:
    """The server's labels come from the rows as lists: they must be what the model's own decision gives."""
    model = TabularModel(None, {"x": "numeric"}, classes, positive_label=classes[-1], threshold=threshold)
    probabilities = np.random.default_rng(0).dirichlet(np.ones(len(classes)), size=200)

    labels, chosen = labelled(model, probabilities)

    expected_labels, expected_chosen = model.chosen(probabilities)
    assert labels == [str(label) for label in expected_labels]
    assert chosen == [round(float(value), 6) for value in expected_chosen]


def test_a_regressor_exports_and_onnx_gives_its_values(tmp_path) -> None:
    """A measurement's model goes through the same export and check, and gives the values in doubles."""
    generator = np.random.default_rng(4)
    frame = pd.DataFrame({"load": generator.uniform(0, 500, 400), "speed": generator.uniform(0, 90, 400)})
    frame.loc[::17, "speed"] = np.nan
    target = 3 * frame["load"] + frame["speed"].fillna(40) ** 1.5 + generator.normal(0, 5, 400)
    columns = ColumnTransformer([("numeric", SimpleImputer(strategy="median"), ["load", "speed"])])
    forest = RandomForestRegressor(n_estimators=20, random_state=0)
    pipeline = Pipeline([("preprocess", columns), ("estimator", forest)]).fit(frame, target)
    model = TabularModel(pipeline, {"load": "numeric", "speed": "numeric"}, (), interval=(0.9, 10.0))

    export = export_onnx(model, frame, tmp_path / ONNX_MODEL_FILE)

    assert export.path == tmp_path / ONNX_MODEL_FILE, export.reason
    served = OnnxPredictor(model, export.path).predict_proba_frame(frame)
    assert served.shape == (400, 1)
    expected = model.predict_values(frame)
    assert np.abs(served[:, 0] - expected).max() <= VALUE_TOLERANCE * np.abs(expected).max()
