"""ONNX converters for the project's own preprocessing steps, registered with skl2onnx before an export.

Each converter computes exactly what the step's `transform` computes, in doubles as scikit-learn does, so the
graph gives scikit-learn's answers to 1e-6.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.impute import SimpleImputer

from ..constants.answers import LIGHTGBM_LIBRARY, XGBOOST_LIBRARY
from .date_converter import DATE_PARTS_ALIAS, convert_date_parts, date_parts_shape, parse_date_parts
from .date_features import DateParts
from .onnx_text import text_column, text_matrix
from .preprocessing import CategoryEncoder
from .tree_converter import register_double_trees

# Operator set of ai.onnx.ml's LabelEncoder with text keys and integer values.
_LABEL_ENCODER_VERSION = 2


def register_converters() -> None:
    """Tell skl2onnx how to convert the project's steps (registering again replaces the same entries)."""
    from skl2onnx import update_registered_converter
    from skl2onnx.shape_calculators.imputer import calculate_sklearn_imputer_output_shapes

    update_registered_converter(CategoryEncoder, "ProjectCategoryEncoder", _encoder_shape, _convert_encoder)
    update_registered_converter(
        SimpleImputer, "SklearnSimpleImputer", calculate_sklearn_imputer_output_shapes, _convert_imputer
    )
    register_double_trees()
    if LIGHTGBM_LIBRARY or XGBOOST_LIBRARY:
        from .category_converter import register_category_converters

        register_category_converters()
    if LIGHTGBM_LIBRARY:
        from .lightgbm_converter import register_lightgbm_converters

        register_lightgbm_converters()
    if XGBOOST_LIBRARY:
        from .xgboost_converter import register_xgboost_converters

        register_xgboost_converters()
    update_registered_converter(
        DateParts, DATE_PARTS_ALIAS, date_parts_shape, convert_date_parts, parser=parse_date_parts
    )


def encoder_slots(encoder: CategoryEncoder, index: int) -> tuple[int, dict[str, int], int]:
    """For feature `index`: how many one-hot columns it has, the column of each category seen in training, and the
    column of a category never seen (the infrequent column if there is one, else -1: all zeros)."""
    categories = [str(category) for category in encoder.categories_[index]]
    infrequent = (getattr(encoder, "infrequent_categories_", None) or [None] * len(encoder.categories_))[index]
    rare = {str(category) for category in infrequent} if infrequent is not None else set()
    frequent = [category for category in categories if category not in rare]
    slots = {category: position for position, category in enumerate(frequent)}
    if not rare:
        return len(frequent), slots, -1
    slots.update(dict.fromkeys(rare, len(frequent)))
    unknown = len(frequent) if encoder.handle_unknown == "infrequent_if_exist" else -1
    return len(frequent) + 1, slots, unknown


def _encoder_shape(operator: Any) -> None:
    from skl2onnx.common.data_types import DoubleTensorType

    encoder = operator.raw_operator
    width = sum(encoder_slots(encoder, index)[0] for index in range(len(encoder.categories_)))
    operator.outputs[0].type = DoubleTensorType([operator.inputs[0].get_first_dimension(), width])


def _convert_encoder(scope: Any, operator: Any, container: Any) -> None:
    """Per feature: its text to a column number (LabelEncoder), then that number compared with every column's;
    doubles, as the rest of the graph."""
    from onnx import TensorProto

    encoder = operator.raw_operator
    if getattr(encoder, "drop_idx_", None) is not None:
        raise NotImplementedError("a one-hot encoder that drops a category")
    text = text_matrix(scope, operator, container)
    blocks = []
    for index in range(len(encoder.categories_)):
        width, slots, unknown = encoder_slots(encoder, index)
        if width == 0:
            continue
        values = text_column(scope, container, text, index)
        slot = scope.get_unique_variable_name("category_slot")
        container.add_node(
            "LabelEncoder",
            [values],
            [slot],
            keys_strings=list(slots),
            values_int64s=list(slots.values()),
            default_int64=unknown,
            op_domain="ai.onnx.ml",
            op_version=_LABEL_ENCODER_VERSION,
        )
        columns = scope.get_unique_variable_name("category_columns")
        container.add_initializer(columns, TensorProto.INT64, [1, width], np.arange(width).tolist())
        hit = scope.get_unique_variable_name("category_hit")
        container.add_node("Equal", [slot, columns], [hit])
        block = scope.get_unique_variable_name("category_block")
        container.add_node("Cast", [hit], [block], to=TensorProto.DOUBLE)
        blocks.append(block)
    if not blocks:
        raise NotImplementedError("a one-hot encoder without categories")
    container.add_node("Concat", blocks, [operator.outputs[0].full_name], axis=1)


def _convert_imputer(scope: Any, operator: Any, container: Any) -> None:
    """A numeric SimpleImputer in doubles: each gap becomes its column's statistic, not rounded to a float (skl2onnx's
    own converter uses the float-only Imputer operator; it still converts every other kind of input)."""
    from onnx import TensorProto
    from skl2onnx.common.data_types import DoubleTensorType
    from skl2onnx.operator_converters.imputer_op import convert_sklearn_imputer

    imputer = operator.raw_operator
    if not isinstance(operator.inputs[0].type, DoubleTensorType) or not np.isnan(imputer.missing_values):
        convert_sklearn_imputer(scope, operator, container)
        return
    values = operator.inputs[0].full_name
    if len(operator.inputs) > 1:
        values = scope.get_unique_variable_name("imputer_inputs")
        container.add_node("Concat", [variable.full_name for variable in operator.inputs], [values], axis=1)
    statistics = scope.get_unique_variable_name("imputer_statistics")
    filled = np.asarray(imputer.statistics_, dtype=np.float64)
    container.add_initializer(statistics, TensorProto.DOUBLE, [1, len(filled)], filled.tolist())
    gaps = scope.get_unique_variable_name("imputer_gaps")
    container.add_node("IsNaN", [values], [gaps])
    container.add_node("Where", [gaps, statistics, values], [operator.outputs[0].full_name])
