"""Tree ensembles in doubles: skl2onnx's own converters, with the thresholds and leaf weights written as double
tensors (ai.onnx.ml opset 3's `*_as_tensor` attributes) where skl2onnx writes floats.

skl2onnx already works out double thresholds that compare as scikit-learn compares (a forest rounds a feature to a
float before comparing it with a double threshold), but then stores them, and the leaves, as floats: one reading
near a split moves a forest's probability by a whole tree's vote. In doubles the trees and their sum are
scikit-learn's; only the operator's output is a float (a relative error below 1e-7).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)

TREE_OPERATORS = frozenset({"TreeEnsembleClassifier", "TreeEnsembleRegressor"})
# Version of ai.onnx.ml whose tree operators take double tensors.
DOUBLE_TREES_VERSION = 3
_DOUBLE_ATTRIBUTES = ("nodes_values", "class_weights", "target_weights", "base_values")
_CLASSIFIERS = {
    RandomForestClassifier: "SklearnRandomForestClassifier",
    HistGradientBoostingClassifier: "SklearnHistGradientBoostingClassifier",
}
_REGRESSORS = {
    RandomForestRegressor: "SklearnRandomForestRegressor",
    HistGradientBoostingRegressor: "SklearnHistGradientBoostingRegressor",
}


class DoubleTrees:
    """The graph being built, except that a tree operator gets its numbers as double tensors, and its float outputs
    (or an Identity passing them on) are cast to the doubles the converter declared."""

    def __init__(self, container: Any, operator: Any) -> None:
        from skl2onnx.common.data_types import DoubleTensorType

        self._container = container
        # The operator's outputs skl2onnx declared as doubles: the tree operator's own outputs are floats.
        self._doubles = {output.full_name for output in operator.outputs if isinstance(output.type, DoubleTensorType)}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._container, name)

    def add_node(self, op_type: str, inputs: Any, outputs: Any, **attributes: Any) -> None:
        from onnx import TensorProto, numpy_helper

        outputs = [outputs] if isinstance(outputs, str) else list(outputs)
        if op_type == "Identity" and outputs[0] in self._doubles:  # a converter passing its float tree output on
            op_type, attributes["to"] = "Cast", TensorProto.DOUBLE
        if op_type not in TREE_OPERATORS:
            self._container.add_node(op_type, inputs, outputs, **attributes)
            return
        for name in _DOUBLE_ATTRIBUTES:
            values = attributes.pop(name, None)
            if values is not None and len(values):
                attributes[f"{name}_as_tensor"] = numpy_helper.from_array(np.asarray(values, dtype=np.float64).ravel())
        attributes["op_version"] = DOUBLE_TREES_VERSION
        # A histogram booster's missing-value directions come as booleans, which an integer list refuses.
        tracks = attributes.get("nodes_missing_value_tracks_true")
        if tracks is not None:
            attributes["nodes_missing_value_tracks_true"] = [int(track) for track in tracks]
        floats = [f"{name}_float" if name in self._doubles else name for name in outputs]
        self._container.add_node(op_type, inputs, floats, **attributes)
        for name, float_name in zip(outputs, floats, strict=True):
            if name != float_name:
                self._container.add_node("Cast", [float_name], [name], to=TensorProto.DOUBLE)


def _convert_classifier(scope: Any, operator: Any, container: Any) -> None:
    from skl2onnx.operator_converters.random_forest import convert_sklearn_random_forest_classifier

    target = DoubleTrees(container, operator) if _takes_doubles(operator) else container
    convert_sklearn_random_forest_classifier(scope, operator, target, op_version=DOUBLE_TREES_VERSION)


def _convert_regressor(scope: Any, operator: Any, container: Any) -> None:
    from skl2onnx.operator_converters.random_forest import convert_sklearn_random_forest_regressor_converter

    target = DoubleTrees(container, operator) if _takes_doubles(operator) else container
    convert_sklearn_random_forest_regressor_converter(scope, operator, target, op_version=DOUBLE_TREES_VERSION)


def _takes_doubles(operator: Any) -> bool:
    from skl2onnx.common.data_types import DoubleTensorType

    return isinstance(operator.inputs[0].type, DoubleTensorType)


def register_double_trees() -> None:
    """Replace skl2onnx's converters of the project's tree ensembles by the double ones (same shapes, same options)."""
    from skl2onnx import update_registered_converter
    from skl2onnx.common._registration import get_converter, get_shape_calculator

    for kinds, convert in ((_CLASSIFIERS, _convert_classifier), (_REGRESSORS, _convert_regressor)):
        for model, alias in kinds.items():
            options = get_converter(alias).get_allowed_options()
            update_registered_converter(model, alias, get_shape_calculator(alias), convert, options=options)
