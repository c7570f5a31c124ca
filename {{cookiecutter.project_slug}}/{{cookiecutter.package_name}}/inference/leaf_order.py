"""Scoring many rows in the order a tree ensemble walks fastest: grouped by the leaf each reaches in the first tree.

An ensemble sends every row down every tree, one branch after another. Rows that follow the same path one after
the other let the processor predict the branches and find the nodes in its cache: on a real-shaped table a random
forest or LightGBM scores a chunk of 100,000 rows about a third faster so (docs/performance.md). Each row's answer is
computed as before, only at another position, so the results are the same bits: the order changes speed only.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..constants.answers import XGBOOST_LIBRARY

# Fewer rows than this are scored as they come: a record or a small request gains less than the ordering costs.
MIN_ORDERED_ROWS = 2_000
# LightGBM boosters of a model's first tree alone, by the model's booster (see `_lightgbm_first_tree`).
_FIRST_TREES: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def first_tree_leaves(estimator: Any, features: Any) -> NDArray[Any] | None:
    """The leaf each row reaches in the first tree of a fitted ensemble (scikit-learn's forests, LightGBM, XGBoost),
    also inside the project's wrappers (oversampling, the cost-sensitive threshold), or None for a model whose trees
    this does not know (a linear model, histogram gradient boosting)."""
    model = estimator
    while model is not None:
        trees: Any = getattr(model, "estimators_", None)  # a forest's list; a grid of them for gradient boosting
        first: Any = trees.flat[0] if isinstance(trees, np.ndarray) else trees[0] if trees else None
        if hasattr(first, "apply"):
            return np.asarray(first.apply(features))
        booster = getattr(model, "booster_", None)  # LightGBM
        if booster is not None and hasattr(booster, "model_to_string"):
            return np.asarray(_lightgbm_first_tree(booster).predict(features, pred_leaf=True))
        if XGBOOST_LIBRARY and hasattr(model, "get_booster"):
            from xgboost import DMatrix

            matrix = DMatrix(features, enable_categorical=True, missing=model.missing)
            return np.asarray(model.get_booster().predict(matrix, pred_leaf=True, iteration_range=(0, 1)))
        model = getattr(model, "estimator_", None)  # a wrapper's fitted model
    return None


def _lightgbm_first_tree(booster: Any) -> Any:
    """A booster of the model's first tree alone, made once per model. LightGBM keeps how many trees to predict
    with inside the booster, shared by every thread: asking the model's own booster for one tree's leaves while
    another thread scores a chunk with all of them would score that chunk with one tree."""
    first = _FIRST_TREES.get(booster)
    if first is None:
        first = _FIRST_TREES[booster] = type(booster)(model_str=booster.model_to_string(num_iteration=1))
    return first


@dataclass(frozen=True)
class OrderedRows:
    """A frame's rows as the estimator reads them, in the order its trees score fastest."""

    features: Any  # the estimator's input: preprocessed rows, row i being input row order[i]
    order: NDArray[np.intp] | None  # None: the input's own order
    index: pd.Index  # the input frame's index, for results row by row

    def results(self, predict: Callable[[Any], NDArray[Any]]) -> NDArray[Any]:
        """`predict(features)` (one result row per feature row), handed back in the input's order."""
        ordered = predict(self.features)
        if self.order is None:
            return ordered
        results = np.empty_like(ordered)
        results[self.order] = ordered
        return results


def in_leaf_order(estimator: Any, features: Any, index: pd.Index) -> OrderedRows:
    """`features` (preprocessed rows of the frame with `index`) grouped by the leaf each reaches in the first tree
    of `estimator`; left in their order when there are few or the model's trees are not known."""
    rows = features.shape[0]
    leaves = first_tree_leaves(estimator, features) if rows >= MIN_ORDERED_ROWS else None
    if leaves is None:
        return OrderedRows(features, None, index)
    order = np.argsort(np.asarray(leaves).reshape(rows, -1)[:, 0], kind="stable")
    ordered = features.iloc[order] if isinstance(features, pd.DataFrame) else features[order]
    return OrderedRows(ordered, order, index)
