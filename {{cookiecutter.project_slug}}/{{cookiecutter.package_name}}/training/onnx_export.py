"""Export the fitted pipeline to ONNX, so the server runs the forest in onnxruntime without per-tree Python calls.

The graph computes in doubles, as scikit-learn does, so an export is kept only when onnxruntime gives the same
labels, and probabilities within PROBABILITY_TOLERANCE (a measurement: values within VALUE_TOLERANCE of their
scale), as scikit-learn on the check rows (the held-out test set at promotion). A model that cannot be converted
or does not pass the check is served by scikit-learn instead, and the reason is recorded and logged.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from ..constants import ONNX_MODEL_FILE
from ..inference.model import TabularModel
from ..inference.onnx_inputs import onnx_inputs_for
from ..utils.files import atomic_output
from .onnx_converters import register_converters
from .resampling import OversampledClassifier

__all__ = ["ONNX_MODEL_FILE", "PROBABILITY_TOLERANCE", "VALUE_TOLERANCE", "OnnxExport", "export_onnx"]

logger = logging.getLogger(__name__)

# Doubles leave only the order of additions to differ: the server and batch `predict` give one answer.
PROBABILITY_TOLERANCE = 1e-6
# A measurement's values may differ by this fraction of the largest value's size.
VALUE_TOLERANCE = 1e-6
# Operator sets that every supported onnxruntime release implements.
TARGET_OPSET = {"": 17, "ai.onnx.ml": 3}


@dataclass(frozen=True)
class OnnxExport:
    """What happened to one export: the file written, or why there is none."""

    path: Path | None
    reason: str
    max_probability_difference: float | None = None

    def metadata(self) -> dict[str, Any]:
        return {
            "runtime": "onnxruntime" if self.path else "scikit-learn",
            "reason": self.reason,
            "max_probability_difference": self.max_probability_difference,
        }


def _selecting_by_position(preprocess: Any, columns: Sequence[str]) -> Any:
    """A copy of a fitted ColumnTransformer that selects its columns by position in `columns`, so that skl2onnx
    can feed it one matrix (it can select by name only from inputs named after the columns)."""
    positioned = copy.copy(preprocess)
    positioned.transformers_ = [
        (name, transformer, [columns.index(str(column)) for column in selected])
        if isinstance(selected, (list, tuple)) and all(isinstance(column, str) for column in selected)
        else (name, transformer, selected)
        for name, transformer, selected in preprocess.transformers_
    ]
    return positioned


def convert_to_onnx(model: TabularModel) -> bytes:
    """The serialized ONNX graph of `model.pipeline` (raises when skl2onnx cannot convert a step)."""
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import DoubleTensorType, StringTensorType

    register_converters()
    inputs = onnx_inputs_for(model)
    # Doubles throughout, as scikit-learn computes: skl2onnx then converts every step, trees included, in doubles.
    if inputs.per_column:
        kinds = {"categorical": StringTensorType}
        initial_types = [(name, kinds.get(inputs.kind(name), DoubleTensorType)([None, 1])) for name in inputs.columns]
    else:
        initial_types = [(inputs.MATRIX_INPUT, DoubleTensorType([None, len(inputs.columns)]))]
    preprocess, estimator = model.pipeline.steps[0][1], model.pipeline.steps[-1][1]
    if not inputs.per_column and hasattr(preprocess, "transformers_"):
        preprocess = _selecting_by_position(preprocess, inputs.columns)
    # Oversampling only changes how the estimator was fitted: the graph runs the fitted estimator inside it.
    if isinstance(estimator, OversampledClassifier):
        estimator = estimator.estimator_
    graph = convert_sklearn(
        Pipeline([("preprocess", preprocess), ("estimator", estimator)]),
        initial_types=initial_types,
        # A classifier's probabilities as one tensor; a regressor has one output already.
        options=None if model.is_regression else {id(estimator): {"zipmap": False}},
        target_opset=TARGET_OPSET,
    )
    if inputs.per_column:
        _inputs_named_as_columns(graph, inputs.columns)
    serialized: bytes = graph.SerializeToString()  # skl2onnx has no types: its ModelProto is Any
    return serialized


def _inputs_named_as_columns(graph: Any, columns: Sequence[str]) -> None:
    """skl2onnx names an input after its column with any character but letters, digits, _ and + made _ (and _
    before a leading digit): the inputs get their columns' names back, as the server feeds them."""
    taken = {item.name for item in graph.graph.input}
    renamed = {}
    for column in columns:
        made = re.sub(r"[^\w+]", "_", column)
        made = f"_{made}" if re.match("[0-9]", made) else made
        if made != column and made in taken and made not in columns:
            renamed[made] = column
    for item in graph.graph.input:
        item.name = renamed.get(item.name, item.name)
    for node in graph.graph.node:
        node.input[:] = [renamed.get(name, name) for name in node.input]


def compare_with_scikit_learn(model: TabularModel, graph: bytes, check_frame: pd.DataFrame) -> tuple[float, int]:
    """Largest probability difference and number of rows whose label differs, ONNX against scikit-learn; for a
    measurement, the largest difference of the values over the largest value's size (no labels)."""
    from ..inference.fast_predictor import OnnxPredictor

    expected = model.scores(check_frame)
    actual = OnnxPredictor(model, graph).predict_proba_frame(check_frame)
    if actual.shape != expected.shape:
        return float("inf"), len(check_frame)
    difference = float(np.abs(actual - expected).max()) if len(expected) else 0.0
    if model.is_regression:
        return difference / max(float(np.abs(expected).max()), 1e-12), 0
    labels_differ = int((model.labels_from_probabilities(actual) != model.labels_from_probabilities(expected)).sum())
    return difference, labels_differ


def export_onnx(model: TabularModel, check_frame: pd.DataFrame, path: Path) -> OnnxExport:
    """Convert, check against scikit-learn on `check_frame`, and write `path` only if the check passes."""
    try:
        graph = convert_to_onnx(model)
        difference, labels_differ = compare_with_scikit_learn(model, graph, check_frame)
    except Exception as error:  # skl2onnx and onnxruntime raise many types for an unsupported model
        reason = f"not convertible to ONNX ({type(error).__name__}: {str(error).splitlines()[0][:200]})"
        logger.warning("ONNX export skipped, scikit-learn will serve this model: %s", reason)
        return OnnxExport(None, reason)
    what = "values (relative to their size)" if model.is_regression else "probabilities"
    tolerance = VALUE_TOLERANCE if model.is_regression else PROBABILITY_TOLERANCE
    if difference > tolerance or labels_differ:
        reason = (
            f"ONNX disagrees with scikit-learn on the check rows: {what} differ by up to {difference:.4g} "
            f"(tolerance {tolerance:g}), {labels_differ} labels differ"
        )
        logger.warning("ONNX export rejected, scikit-learn will serve this model: %s", reason)
        return OnnxExport(None, reason, difference)
    with atomic_output(path, binary=True) as handle:
        handle.write(graph)
    reason = f"matches scikit-learn on {len(check_frame)} check rows"
    logger.info("exported %s: %s (%s within %.2g)", path.name, reason, what, difference)
    return OnnxExport(path, reason, difference)
