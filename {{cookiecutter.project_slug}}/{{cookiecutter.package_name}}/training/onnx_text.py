"""Text columns inside an ONNX graph, as the category converters read them (one-hot and native categories)."""

from __future__ import annotations

from typing import Any


def text_matrix(scope: Any, operator: Any, container: Any) -> str:
    """One (rows, columns) tensor of text, however skl2onnx hands the columns over (one input, or one per column:
    Concat, as skl2onnx's own helper would vectorize numbers only)."""
    if len(operator.inputs) == 1:
        name: str = operator.inputs[0].full_name
        return name
    text: str = scope.get_unique_variable_name("category_texts")
    container.add_node("Concat", [variable.full_name for variable in operator.inputs], [text], axis=1)
    return text


def text_column(scope: Any, container: Any, text: str, index: int) -> str:
    """Column `index` of a text tensor, (rows, 1)."""
    from onnx import TensorProto

    position = scope.get_unique_variable_name("category_index")
    container.add_initializer(position, TensorProto.INT64, [1], [index])
    column: str = scope.get_unique_variable_name("category_text")
    container.add_node("ArrayFeatureExtractor", [text, position], [column], op_domain="ai.onnx.ml")
    return column
