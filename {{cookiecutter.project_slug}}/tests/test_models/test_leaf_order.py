"""Many rows are scored grouped by the leaf they reach in the first tree (`inference/leaf_order.py`): the answers must
be the pipeline's own, bit for bit, for every estimator the project trains, also when chunks are scored at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.inference.leaf_order import MIN_ORDERED_ROWS, first_tree_leaves
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.training.estimators import (
    ESTIMATORS,
    REGRESSORS,
    categorical_encoding,
)
from {{ cookiecutter.package_name }}.training.pipeline_builder import build_model_pipeline
from {{ cookiecutter.package_name }}.training.preprocessing import build_preprocessor
from {{ cookiecutter.package_name }}.utils.frames import typed_features

FEATURE_TYPES = {
    "tenure": "numeric",
    "fee": "numeric",
    "plan": "categorical",
    "region": "categorical",
    "paperless": "boolean",
    "signed_up": "datetime",
}
# Estimators whose first tree the ordering reads; the others are scored in the input's order.
ORDERED = {"random_forest", "cost_sensitive_forest", "lightgbm", "xgboost"}
# Few trees or rounds keep the test fast; the cost-sensitive forest takes its own defaults.
SMALL_PARAMS = {
    "random_forest": {"n_estimators": 20},
    "gradient_boosting": {"max_iter": 20},
    "logistic_regression": {"max_iter": 3000},
    "lightgbm": {"n_estimators": 20},
    "xgboost": {"n_estimators": 20},
}


def _real_shaped(rows: int, seed: int) -> pd.DataFrame:
    """Numbers with gaps, categories with gaps and a rare value, yes/no text and dates, as users' tables hold."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "tenure": rng.integers(0, 72, rows).astype(float),
            "fee": rng.gamma(2.0, 30.0, rows).round(2),
            "plan": rng.choice(["basic", "pro", "enterprise", "legacy"], rows, p=[0.5, 0.3, 0.19, 0.01]),
            "region": rng.choice(["north", "south", "east", "west"], rows).astype(object),
            "paperless": rng.choice(["Yes", "No"], rows),
            "signed_up": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, rows), unit="D"),
        }
    )
    frame["signed_up"] = frame["signed_up"].dt.strftime("%Y-%m-%d")
    signal = frame["fee"] / 60 - frame["tenure"] / 40 + (frame["plan"] == "pro") + rng.normal(0, 0.5, rows)
    frame["churned"] = np.where(signal > 0.8, "yes", "no")
    frame["spend"] = signal * 10
    frame.loc[rng.choice(rows, rows // 20, replace=False), "fee"] = np.nan
    frame.loc[rng.choice(rows, rows // 25, replace=False), "region"] = None
    return frame


def _fitted(name: str, regression: bool) -> TabularModel:
    train = _real_shaped(3000, seed=1)
    pipeline = build_model_pipeline(
        build_preprocessor(FEATURE_TYPES, categorical_encoding(name)),
        name,
        SMALL_PARAMS.get(name, {}),
        random_state=3,
        oversample_ratio=None if regression else 0.5,
        regression=regression,
    )
    features = typed_features(train, FEATURE_TYPES)
    if regression:
        pipeline.fit(features, train["spend"].to_numpy())
        return TabularModel(pipeline, FEATURE_TYPES, classes=())
    pipeline.fit(features, (train["churned"] == "yes").astype(int).to_numpy())
    return TabularModel(pipeline, FEATURE_TYPES, classes=("no", "yes"), positive_label="yes")


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_classes_are_scored_as_the_pipeline_scores_them(name: str) -> None:
    model = _fitted(name, regression=False)
    rows = _real_shaped(MIN_ORDERED_ROWS * 3, seed=2)
    features = model.pipeline[:-1].transform(model.features(rows))

    leaves = first_tree_leaves(model.pipeline[-1], features)

    assert (leaves is not None) == (name in ORDERED)
    assert np.array_equal(model.predict_proba(rows), model.pipeline.predict_proba(model.features(rows)))
    small = rows.head(MIN_ORDERED_ROWS - 1)  # scored in its own order
    assert np.array_equal(model.predict_proba(small), model.pipeline.predict_proba(model.features(small)))


@pytest.mark.parametrize("name", sorted(REGRESSORS))
def test_measurements_are_estimated_as_the_pipeline_estimates_them(name: str) -> None:
    model = _fitted(name, regression=True)
    rows = _real_shaped(MIN_ORDERED_ROWS * 3, seed=4)

    assert np.array_equal(model.predict_values(rows), model.pipeline.predict(model.features(rows)))


@pytest.mark.parametrize("name", sorted(ORDERED & set(ESTIMATORS)))
def test_chunks_scored_at_once_get_the_answers_they_get_alone(name: str) -> None:
    """Batch prediction scores a chunk per core with one model: asking a first tree's leaves in one thread must not
    change what another thread's chunk is scored with (LightGBM keeps that setting in the booster)."""
    model = _fitted(name, regression=False)
    chunks = [_real_shaped(MIN_ORDERED_ROWS * 5, seed=seed) for seed in range(10, 18)]
    alone = [model.pipeline.predict_proba(model.features(chunk)) for chunk in chunks]

    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(model.predict_proba, chunks))

    assert all(np.array_equal(mine, theirs) for mine, theirs in zip(together, alone, strict=True))
