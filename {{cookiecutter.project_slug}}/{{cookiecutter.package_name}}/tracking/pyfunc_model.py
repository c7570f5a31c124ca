"""The saved model as an MLflow pyfunc model, so `mlflow models serve` and `mlflow.pyfunc.spark_udf` predict
exactly as `predict` does: the same model file, the same `predict` method, the same output columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import joblib
import numpy as np
import pandas as pd
from mlflow.models import ModelSignature, infer_signature
from mlflow.pyfunc.model import PythonModel
from mlflow.types import DataType
from mlflow.types.schema import AnyType, ColSpec, Schema

from ..inference.model import TabularModel

MODEL_ARTIFACT = "model"
_NUMBERS = {DataType.integer, DataType.long, DataType.float, DataType.double}


class SavedModel(PythonModel):
    """Loads the project's model file from the MLflow model's artifacts and delegates to its `predict`.

    A frame read without the schema's missing-value markers (`pd.read_csv`, a JSON body) holds them as text: they
    become missing values first, as `predict` reads its files and the server its records.
    """

    def __init__(self, missing_values: Sequence[str] = ()) -> None:
        self.missing_values = list(missing_values)

    def load_context(self, context: Any) -> None:
        self.model: TabularModel = joblib.load(context.artifacts[MODEL_ARTIFACT])

    def predict(self, context: Any, model_input: pd.DataFrame, params: dict[str, Any] | None = None) -> pd.DataFrame:
        if self.missing_values:
            model_input = model_input.replace(self.missing_values, np.nan)
        return self.model.predict(model_input)


def model_signature(example: pd.DataFrame, output: pd.DataFrame) -> ModelSignature:
    """The inferred signature, with number columns accepting whole numbers, decimals and missing values alike.

    MLflow refuses int64 for a double column and NaN for a long one, yet a CSV or JSON row may bring either; the
    model checks its numbers itself (utils/frames.py), so the signature names those columns without a type.
    """
    inferred = infer_signature(example, output)
    # AnyType.__init__ has no annotations in MLflow, so mypy counts it as untyped.
    inputs = [
        ColSpec(AnyType(), spec.name, required=False) if spec.type in _NUMBERS else spec  # type: ignore[no-untyped-call]
        for spec in inferred.inputs.inputs
    ]
    return ModelSignature(inputs=Schema(inputs), outputs=inferred.outputs)
