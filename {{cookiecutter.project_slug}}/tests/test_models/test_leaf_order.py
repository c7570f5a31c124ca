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

from tests.real_shaped import REAL_SHAPED_TYPES, real_shaped_rows

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


def _fitted(name: str, regression: bool) -> TabularModel:
    frame, score = real_shaped_rows(3000, seed=1)
    pipeline = build_model_pipeline(
        build_preprocessor(REAL_SHAPED_TYPES, categorical_encoding(name)),
        name,
        SMALL_PARAMS.get(name, {}),
        random_state=3,
        oversample_ratio=None if regression else 0.5,
        regression=regression,
    )
    features = typed_features(frame, REAL_SHAPED_TYPES)
    if regression:
        return TabularModel(pipeline.fit(features, score.to_numpy()), REAL_SHAPED_TYPES, classes=())
    pipeline.fit(features, (score > 2).astype(int).to_numpy())  # a rarer class: the oversampling wrapper takes part
    return TabularModel(pipeline, REAL_SHAPED_TYPES, classes=("no", "yes"), positive_label="yes")


def _rows(rows: int, seed: int) -> pd.DataFrame:
    frame, _ = real_shaped_rows(rows, seed)
    return frame


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_classes_are_scored_as_the_pipeline_scores_them(name: str) -> None:
    model = _fitted(name, regression=False)
    rows = _rows(MIN_ORDERED_ROWS * 3, seed=2)
    features = model.pipeline[:-1].transform(model.features(rows))

    leaves = first_tree_leaves(model.pipeline[-1], features)

    assert (leaves is not None) == (name in ORDERED)
    assert np.array_equal(model.predict_proba(rows), model.pipeline.predict_proba(model.features(rows)))
    small = rows.head(MIN_ORDERED_ROWS - 1)  # scored in its own order
    assert np.array_equal(model.predict_proba(small), model.pipeline.predict_proba(model.features(small)))


@pytest.mark.parametrize("name", sorted(REGRESSORS))
def test_measurements_are_estimated_as_the_pipeline_estimates_them(name: str) -> None:
    model = _fitted(name, regression=True)
    rows = _rows(MIN_ORDERED_ROWS * 3, seed=4)

    assert np.array_equal(model.predict_values(rows), model.pipeline.predict(model.features(rows)))


@pytest.mark.parametrize("name", sorted(ORDERED & set(ESTIMATORS)))
def test_chunks_scored_at_once_get_the_answers_they_get_alone(name: str) -> None:
    """Batch prediction scores a chunk per core with one model: asking a first tree's leaves in one thread must not
    change what another thread's chunk is scored with (LightGBM keeps that setting in the booster)."""
    model = _fitted(name, regression=False)
    chunks = [_rows(MIN_ORDERED_ROWS * 5, seed=seed) for seed in range(10, 34)]
    alone = [model.pipeline.predict_proba(model.features(chunk)) for chunk in chunks]

    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(model.predict_proba, chunks))

    assert all(np.array_equal(mine, theirs) for mine, theirs in zip(together, alone, strict=True))
