"""ONNX converters of LightGBM: onnxmltools' own, with the trees kept in doubles by `tree_converter.DoubleTrees`,
registered with skl2onnx before an export (its native categories: `category_converter.py`).

LightGBM compares doubles with double thresholds and sums its trees in doubles: so does the graph.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .tree_converter import DoubleTrees

_CLASSIFIER_OPTIONS = {"nocl": [True, False], "zipmap": [True, False, "columns"]}


def register_lightgbm_converters() -> None:
    """Tell skl2onnx how to convert LightGBM's models."""
    from lightgbm import LGBMClassifier, LGBMRegressor
    from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm
    from skl2onnx import update_registered_converter
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes,
        calculate_linear_regressor_output_shapes,
    )

    in_doubles = _in_doubles(convert_lightgbm)
    update_registered_converter(
        LGBMClassifier,
        "ProjectLGBMClassifier",
        calculate_linear_classifier_output_shapes,
        in_doubles,
        options=_CLASSIFIER_OPTIONS,
    )
    update_registered_converter(
        LGBMRegressor, "ProjectLGBMRegressor", calculate_linear_regressor_output_shapes, in_doubles
    )


def _in_doubles(convert: Callable[..., None]) -> Callable[..., None]:
    def converter(scope: Any, operator: Any, container: Any) -> None:
        convert(scope, operator, DoubleTrees(container, operator))

    return converter
