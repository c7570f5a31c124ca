"""ONNX converters of the preprocessing that hands a booster (LightGBM, XGBoost) its native categories, registered
with skl2onnx before an export.

A category reaches the booster as its position among the categories seen in training, a missing or unseen one as
NaN, as pandas gives the booster its `category` columns (`preprocessing.NativeCategories`).
"""

from __future__ import annotations

from typing import Any

from ..constants import MISSING_CATEGORY
from .onnx_text import text_column, text_matrix
from .preprocessing import BoosterFeatureNames, NativeCategories

_LABEL_ENCODER_VERSION = 2


def register_category_converters() -> None:
    """Tell skl2onnx how to convert the native categories and the booster's column names."""
    from skl2onnx import update_registered_converter

    update_registered_converter(NativeCategories, "ProjectNativeCategories", _categories_shape, _convert_categories)
    update_registered_converter(BoosterFeatureNames, "ProjectBoosterFeatureNames", _same_shape, _convert_names)


def _categories_shape(operator: Any) -> None:
    from skl2onnx.common.data_types import DoubleTensorType

    width = len(operator.raw_operator.categories_)
    operator.outputs[0].type = DoubleTensorType([operator.inputs[0].get_first_dimension(), width])


def _convert_categories(scope: Any, operator: Any, container: Any) -> None:
    """Per column: its text to the category's position (LabelEncoder), NaN for any other text."""
    from onnx import TensorProto

    # One (rows, columns) tensor of text, however skl2onnx hands the columns over.
    text = text_matrix(scope, operator, container)
    codes = []
    for index, categories in enumerate(operator.raw_operator.categories_.values()):
        known = {category: code for code, category in enumerate(categories) if category != MISSING_CATEGORY}
        name = text_column(scope, container, text, index)
        code = scope.get_unique_variable_name("category_code")
        container.add_node(
            "LabelEncoder",
            [name],
            [code],
            keys_strings=list(known) or [MISSING_CATEGORY],
            values_floats=[float(code) for code in known.values()] or [float("nan")],
            default_float=float("nan"),
            op_domain="ai.onnx.ml",
            op_version=_LABEL_ENCODER_VERSION,
        )
        codes.append(code)
    joined = scope.get_unique_variable_name("category_codes")
    container.add_node("Concat", codes, [joined], axis=1)
    container.add_node("Cast", [joined], [operator.outputs[0].full_name], to=TensorProto.DOUBLE)


def _same_shape(operator: Any) -> None:
    operator.outputs[0].type = operator.inputs[0].type.__class__(operator.inputs[0].type.shape)


def _convert_names(scope: Any, operator: Any, container: Any) -> None:
    """Renaming columns changes no value."""
    container.add_node("Identity", [operator.inputs[0].full_name], [operator.outputs[0].full_name])
