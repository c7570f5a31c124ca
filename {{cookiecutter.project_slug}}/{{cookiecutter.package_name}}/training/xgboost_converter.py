"""ONNX converters of XGBoost, registered with skl2onnx before an export (its native categories:
`category_converter.py`). The graph computes what XGBoost computes, in its order, so it gives XGBoost's answers.

onnxmltools reads the trees from the booster's dump (a categorical split becomes a chain of equalities on the
category's position; a missing or unseen one, NaN, takes the split's missing-value branch) and takes features named
f0, f1, ... only: it converts a copy of the booster whose features are named so. From its trees the graph:
- rounds the readings to floats, as XGBoost reads them, and compares them with the float thresholds (in doubles,
  which hold both exactly), so every row takes XGBoost's branches;
- gives each tree its own output, then adds them in floats one after the other to the base margin (CumSum), as
  XGBoost adds them: a sum in doubles would differ by its rounding, past 1e-6 with a few hundred deep trees;
- turns the margin into probabilities in floats (sigmoid, or softmax for more classes), as XGBoost does.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from .tree_converter import DOUBLE_TREES_VERSION, TREE_OPERATORS

_CLASSIFIER_OPTIONS = {"nocl": [True, False], "zipmap": [True, False, "columns"]}
# Objectives whose margin is the value (regression) or goes through a sigmoid or softmax (classes).
_IDENTITY = frozenset({"reg:squarederror", "reg:absoluteerror", "reg:pseudohubererror"})
_SIGMOID, _SOFTMAX = "binary:logistic", "multi:softprob"
# The trees' integer attributes, taken as onnxmltools writes them.
_NODE_NUMBERS = (
    "nodes_treeids",
    "nodes_nodeids",
    "nodes_featureids",
    "nodes_truenodeids",
    "nodes_falsenodeids",
    "nodes_missing_value_tracks_true",
)


def register_xgboost_converters() -> None:
    """Tell skl2onnx how to convert XGBoost's models."""
    from skl2onnx import update_registered_converter
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes,
        calculate_linear_regressor_output_shapes,
    )
    from xgboost import XGBClassifier, XGBRegressor

    update_registered_converter(
        XGBClassifier,
        "ProjectXGBClassifier",
        calculate_linear_classifier_output_shapes,
        _convert,
        options=_CLASSIFIER_OPTIONS,
    )
    update_registered_converter(XGBRegressor, "ProjectXGBRegressor", calculate_linear_regressor_output_shapes, _convert)


def with_positional_names(estimator: Any) -> Any:
    """A copy of the fitted estimator whose booster names its features f0, f1, ... (the fitted one is untouched)."""
    booster = estimator.get_booster().copy()
    booster.feature_names = [f"f{position}" for position in range(booster.num_features())]
    renamed = copy.copy(estimator)
    renamed._Booster = booster
    return renamed


def _convert(scope: Any, operator: Any, container: Any) -> None:
    from onnxmltools.convert.xgboost.operator_converters.XGBoost import convert_xgboost

    fitted = operator.raw_operator
    objective = fitted.get_xgb_params().get("objective")
    if objective not in _IDENTITY | {_SIGMOID, _SOFTMAX}:
        raise NotImplementedError(f"XGBoost objective {objective}")
    trees = _Trees(container)
    operator.raw_operator = with_positional_names(fitted)
    try:
        convert_xgboost(scope, operator, trees)
    finally:
        operator.raw_operator = fitted
    if trees.attributes is None:
        raise NotImplementedError("an XGBoost model without trees")
    margins = _margins(scope, operator, container, trees.attributes)
    _outputs(scope, operator, container, margins, objective)


class _Trees:
    """The graph being built, except that the tree operator onnxmltools writes is kept aside (its attributes)."""

    def __init__(self, container: Any) -> None:
        self._container = container
        self.attributes: dict[str, Any] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._container, name)

    def add_node(self, op_type: str, inputs: Any, outputs: Any, **attributes: Any) -> None:
        if op_type not in TREE_OPERATORS:
            raise NotImplementedError(f"an XGBoost graph with {op_type}")
        self.attributes = attributes


def _margins(scope: Any, operator: Any, container: Any, trees: dict[str, Any]) -> str:
    """The (rows, groups) float margins: each tree's leaf, added in XGBoost's order to the base margin."""
    from onnx import TensorProto, numpy_helper

    prefix = "class" if "class_treeids" in trees else "target"
    leaf_trees = [int(tree) for tree in trees[f"{prefix}_treeids"]]
    count = max(leaf_trees) + 1
    # One group of trees per class with softmax, else one; a base margin per group (none written: zero).
    groups = max(int(group) for group in trees["class_ids"]) + 1 if trees.get("post_transform") == "SOFTMAX" else 1
    base = np.asarray(trees.get("base_values") or [0.0] * groups, dtype=np.float32)
    if count % groups or len(base) != groups:
        raise NotImplementedError("XGBoost trees that do not split evenly among the classes")
    rounds = count // groups

    def floats_as_doubles(values: Any) -> Any:
        return numpy_helper.from_array(np.asarray(values, dtype=np.float32).astype(np.float64))

    floats, readings = scope.get_unique_variable_name("xgboost_floats"), scope.get_unique_variable_name("readings")
    container.add_node("Cast", [operator.inputs[0].full_name], [floats], to=TensorProto.FLOAT)
    container.add_node("Cast", [floats], [readings], to=TensorProto.DOUBLE)
    leaves = scope.get_unique_variable_name("xgboost_leaves")
    container.add_node(
        "TreeEnsembleRegressor",
        [readings],
        [leaves],
        op_domain="ai.onnx.ml",
        op_version=DOUBLE_TREES_VERSION,
        name=scope.get_unique_operator_name("TreeEnsembleRegressor"),
        n_targets=count,
        aggregate_function="SUM",
        post_transform="NONE",
        nodes_values_as_tensor=floats_as_doubles(trees["nodes_values"]),
        target_treeids=leaf_trees,
        target_nodeids=[int(node) for node in trees[f"{prefix}_nodeids"]],
        target_ids=leaf_trees,
        target_weights_as_tensor=floats_as_doubles(trees[f"{prefix}_weights"]),
        nodes_modes=list(trees["nodes_modes"]),
        **{name: [int(value) for value in trees[name]] for name in _NODE_NUMBERS},
    )

    def constant(name: str, kind: int, shape: list[int], values: Any) -> str:
        made: str = scope.get_unique_variable_name(name)
        container.add_initializer(made, kind, shape, list(values))
        return made

    def step(op_type: str, inputs: list[str], name: str, **attributes: Any) -> str:
        made: str = scope.get_unique_variable_name(name)
        container.add_node(op_type, inputs, [made], **attributes)
        return made

    # (rows, rounds, groups): tree t is round t // groups of group t % groups.
    by_round = step("Reshape", [leaves, constant("shape", TensorProto.INT64, [3], [0, rounds, groups])], "by_round")
    one, axis = constant("one", TensorProto.INT64, [1], [1]), constant("axis", TensorProto.INT64, [1], [1])
    zero, end = constant("zero", TensorProto.INT64, [1], [0]), constant("end", TensorProto.INT64, [1], [rounds])
    first = step("Slice", [by_round, zero, one, axis], "first_round")
    started = step("Add", [first, constant("base", TensorProto.FLOAT, [1, 1, groups], base.tolist())], "started")
    rest = step("Slice", [by_round, one, end, axis], "other_rounds")
    ordered = step("Concat", [started, rest], "ordered", axis=1)
    scalar_axis = constant("sum_axis", TensorProto.INT64, [], [1])
    sums = step("CumSum", [ordered, scalar_axis], "running_margins")
    last = step("Slice", [sums, constant("last", TensorProto.INT64, [1], [rounds - 1]), end, axis], "last_round")
    return step("Reshape", [last, constant("shape", TensorProto.INT64, [2], [0, groups])], "margins")


def _outputs(scope: Any, operator: Any, container: Any, margins: str, objective: str) -> None:
    """The declared outputs from the margins: the value, or (label, probabilities)."""
    from onnx import TensorProto
    from skl2onnx.common.data_types import DoubleTensorType

    def declared(source: str, output: Any) -> None:
        if isinstance(output.type, DoubleTensorType):
            container.add_node("Cast", [source], [output.full_name], to=TensorProto.DOUBLE)
        else:
            container.add_node("Identity", [source], [output.full_name])

    if objective in _IDENTITY:
        declared(margins, operator.outputs[0])
        return
    probabilities = scope.get_unique_variable_name("xgboost_probabilities")
    if objective == _SOFTMAX:
        container.add_node("Softmax", [margins], [probabilities], axis=1)
    else:
        positive, negative = (scope.get_unique_variable_name(name) for name in ("positive", "negative"))
        one = scope.get_unique_variable_name("one")
        container.add_initializer(one, TensorProto.FLOAT, [1, 1], [1.0])
        container.add_node("Sigmoid", [margins], [positive])
        container.add_node("Sub", [one, positive], [negative])
        container.add_node("Concat", [negative, positive], [probabilities], axis=1)
    # XGBoost's classes are 0, 1, ...: the label is the position of the largest probability.
    container.add_node("ArgMax", [probabilities], [operator.outputs[0].full_name], axis=1, keepdims=0)
    declared(probabilities, operator.outputs[1])
