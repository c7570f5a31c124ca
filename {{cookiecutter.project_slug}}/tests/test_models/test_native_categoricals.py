"""{% if cookiecutter.model_library == "lightgbm" %}LightGBM{% else %}XGBoost{% endif %} splits on categorical columns natively: they reach it as pandas `category` columns, not codes
read as numbers, and categories never seen in training or missing ones still predict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
{%- if cookiecutter.serving == "fastapi" %}
from fastapi.testclient import TestClient
{%- endif %}
from sklearn.pipeline import Pipeline

{% if cookiecutter.serving == "fastapi" -%}
from {{ cookiecutter.package_name }}.api.app import create_app
{% endif -%}
from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import Settings, load_settings
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.training.estimators import (
    build_estimator,
    categorical_encoding,
)
from {{ cookiecutter.package_name }}.training.preprocessing import (
    build_preprocessor,
    native_categorical_columns,
)
from {{ cookiecutter.package_name }}.utils.frames import typed_features

# "spend [eur]" holds characters boosters refuse in a feature name: the preprocessing renames it for them.
FEATURE_TYPES = {"plan": "categorical", "region": "categorical", "spend [eur]": "numeric", "active": "boolean"}
PLANS = ["basic", "enterprise", "pro"]
REGIONS = ["east", "north", "south", "west"]


def _mixed_frame(rows: int = 600) -> pd.DataFrame:
    """The plan decides most of the label, so the booster has to split on a categorical column."""
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "plan": rng.choice(PLANS, rows).astype(object),
            "region": rng.choice(REGIONS, rows).astype(object),
            "spend [eur]": rng.normal(100, 30, rows).round(2),
            "active": rng.choice(["yes", "no"], rows),
        }
    )
    signal = (frame["plan"] == "pro") * 2.0 + (frame["active"] == "yes") * 0.5 + rng.normal(0, 0.3, rows)
    frame["churn"] = np.where(signal > 1.2, "churned", "stayed")
    frame.loc[rng.choice(rows, 30, replace=False), "plan"] = None
    frame.loc[rng.choice(rows, 20, replace=False), "region"] = None
    return frame


@pytest.fixture
def fitted(settings: Settings) -> TabularModel:
    """The estimator model_config.yaml names, with the preprocessing `train` builds for it, fitted on mixed rows."""
    frame = _mixed_frame()
    model = settings.model
    pipeline = Pipeline(
        [
            ("preprocess", build_preprocessor(FEATURE_TYPES, categorical_encoding(model.estimator))),
            ("estimator", build_estimator(model.estimator, model.estimator_params, model.random_state)),
        ]
    )
    labels = (frame["churn"] == "churned").astype(int).to_numpy()
    pipeline.fit(typed_features(frame, FEATURE_TYPES), labels)
    return TabularModel(pipeline, FEATURE_TYPES, classes=("stayed", "churned"), positive_label="churned")


def _categorical_split_features(pipeline: Any) -> set[str]:
    """Names of the features the fitted booster splits on by category (not by a numeric threshold)."""
    estimator = pipeline.named_steps["estimator"]
{%- if cookiecutter.model_library == "lightgbm" %}
    dump = estimator.booster_.dump_model()
    names = dump["feature_names"]
    found: set[str] = set()
    nodes = [tree["tree_structure"] for tree in dump["tree_info"]]
    while nodes:
        node = nodes.pop()
        if "split_feature" in node:
            if node["decision_type"] == "==":
                found.add(names[node["split_feature"]])
            nodes.extend([node["left_child"], node["right_child"]])
    return found
{%- else %}
    trees = estimator.get_booster().trees_to_dataframe()
    return set(trees.loc[trees["Category"].notna(), "Feature"])
{%- endif %}


def test_the_booster_sees_categorical_columns_as_categories(fitted: TabularModel) -> None:
    estimator = fitted.pipeline.named_steps["estimator"]
{%- if cookiecutter.model_library == "lightgbm" %}
    booster = estimator.booster_
    infos = booster.dump_model()["feature_infos"]

    # LightGBM keeps the training categories of every `category` column and lists codes for categorical features.
    assert booster.pandas_categorical == [PLANS, REGIONS]
    assert infos["plan"]["values"]
    assert infos["region"]["values"]
    assert infos["spend__eur_"]["values"] == []
{%- else %}
    booster = estimator.get_booster()
    types = dict(zip(booster.feature_names, booster.feature_types, strict=True))

    assert estimator.get_params()["enable_categorical"] is True
    assert types == {"spend__eur_": "float", "active": "float", "plan": "c", "region": "c"}
{%- endif %}
    assert native_categorical_columns(fitted.pipeline.named_steps["preprocess"]) == ["plan", "region"]
    assert "plan" in _categorical_split_features(fitted.pipeline)


def test_unseen_and_missing_categories_predict_like_a_missing_value(fitted: TabularModel, tmp_path: Path) -> None:
    rows = pd.DataFrame(
        {
            "plan": ["platinum", None, "pro", "basic"],
            "region": ["mars", None, "north", None],
            "spend [eur]": [100.0, 100.0, 90.0, None],
            "active": ["yes", "yes", "no", None],
        }
    )

    predictions = fitted.predict(rows, probabilities=True)
    reloaded = TabularModel.load(fitted.save(tmp_path / "model.joblib")).predict(rows, probabilities=True)

    assert len(predictions) == 4
    assert set(predictions["prediction"]) <= {"stayed", "churned"}
    assert np.allclose(predictions[["probability_stayed", "probability_churned"]].sum(axis=1), 1.0)
    # A category never seen in training goes where a missing one goes, not where some arbitrary code would.
    assert predictions.iloc[0].equals(predictions.iloc[1])
    pd.testing.assert_frame_equal(reloaded, predictions)


def test_a_category_keeps_its_meaning_whatever_else_the_rows_hold(fitted: TabularModel) -> None:
    # Codes are assigned from the training categories, not from the values in the rows being predicted.
    one = {"plan": ["pro"], "region": ["west"], "spend [eur]": [100.0], "active": ["no"]}
    alone = fitted.predict_proba(pd.DataFrame(one))
    mixed = fitted.predict_proba(
        pd.DataFrame(
            {
                "plan": ["basic", "enterprise", "pro"],
                "region": ["east", "south", "west"],
                "spend [eur]": [100.0, 100.0, 100.0],
                "active": ["no", "no", "no"],
            }
        )
    )

    np.testing.assert_allclose(alone[0], mixed[2])
    assert alone[0, 1] > mixed[0, 1]


def test_mixed_data_trains_end_to_end_with_native_categories(
    project: Path, replace_training_data: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = project / "data" / "raw" / "mixed.csv"
    _mixed_frame().to_csv(data, index=False)
    replace_training_data(_mixed_frame())  # what `train` reads, whatever the configured source

    assert main(["schema", "--input", str(data), "--target", "churn"]) == 0
    assert main(["train"]) == 0

    production = build_model_registry(load_settings(project)).current()
    assert production is not None
    model = TabularModel.load(production.model_path)
    assert native_categorical_columns(model.pipeline.steps[0][1]) == ["plan", "region"]
{%- if cookiecutter.serving == "fastapi" %}
    runtime = production.metadata["serving_runtime"]
    # Native categorical splits convert too (training/{{ cookiecutter.model_library }}_converter.py): onnxruntime serves.
    assert runtime["runtime"] == "onnxruntime", runtime
{%- endif %}
    unseen = _mixed_frame().drop(columns=["churn"]).head(5)
    unseen["plan"] = ["platinum", None, "pro", "basic", "gold"]
    source, output = tmp_path / "unseen.csv", tmp_path / "predictions.csv"
    unseen.to_csv(source, index=False)
    capsys.readouterr()

    assert main(["predict", "--input", str(source), "--output", str(output)]) == 0
    assert len(pd.read_csv(output)) == 5
{%- if cookiecutter.serving == "fastapi" %}

    client = TestClient(create_app(load_settings(project)))
    records = [
        {"plan": "platinum", "region": None, "spend [eur]": 120.5, "active": "yes"},
        {"plan": None, "region": "mars", "spend [eur]": None, "active": None},
    ]
    response = client.post("/predict", json={"records": records})
    assert response.status_code == 200, response.text
    assert [item["label"] in {"stayed", "churned"} for item in response.json()["predictions"]] == [True, True]
{%- endif %}
