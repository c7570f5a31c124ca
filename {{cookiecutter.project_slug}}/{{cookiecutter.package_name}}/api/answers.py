"""The predictions of a /predict answer as plain Python lists and dicts, ready to encode as JSON in one pass."""

from __future__ import annotations

from typing import Any

from numpy.typing import NDArray

from ..inference.fast_predictor import labelled
from ..inference.model import TabularModel


def label_predictions(
    model: TabularModel, probabilities: NDArray[Any], per_class: bool
) -> tuple[list[str], list[dict[str, object]]]:
    """The labels, and per row the label, its probability and (`per_class`) every class's probability."""
    labels, chosen = labelled(model, probabilities)
    predictions: list[dict[str, object]] = [
        {"label": label, "probability": value, "probabilities": None}
        for label, value in zip(labels, chosen, strict=True)
    ]
    if per_class:
        classes = [str(label) for label in model.classes]
        for prediction, row in zip(predictions, probabilities.round(6).tolist(), strict=True):
            prediction["probabilities"] = dict(zip(classes, row, strict=True))
    return labels, predictions


def value_predictions(model: TabularModel, values: NDArray[Any], intervals: bool) -> list[dict[str, object]]:
    """Per row a measurement's value and (`intervals`) the bounds of its prediction interval."""
    predictions: list[dict[str, object]] = [{"prediction": value} for value in values.tolist()]
    if intervals:
        half_width = model.interval[1] if model.interval else float("nan")
        for prediction, value in zip(predictions, values.tolist(), strict=True):
            prediction["lower"], prediction["upper"] = value - half_width, value + half_width
    return predictions
