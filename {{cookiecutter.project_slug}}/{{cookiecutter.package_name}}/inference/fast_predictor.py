"""The model as the server runs it: onnxruntime when the production version has a checked model.onnx, otherwise
scikit-learn. Both give class probabilities from one pass; labels always come from the saved model's
`labels_from_probabilities`, so the threshold lives in one place. A model of a measurement (regression) gives its
values as one column instead (`TabularModel.scores`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..utils.frames import require_complete_records, require_finite
from .model import TabularModel
from .onnx_inputs import onnx_inputs_for

logger = logging.getLogger(__name__)


class ScikitLearnPredictor:
    """The saved model itself: works for every estimator, at the cost of per-tree Python calls."""

    runtime = "scikit-learn"

    def __init__(self, model: TabularModel) -> None:
        self.model = model

    def predict_proba_records(
        self, records: Sequence[Mapping[str, Any]], missing_values: Sequence[str] = ()
    ) -> NDArray[Any]:
        return self.predict_proba_frame(self.records_frame(records, missing_values))

    def records_frame(self, records: Sequence[Mapping[str, Any]], missing_values: Sequence[str] = ()) -> pd.DataFrame:
        """The records as a frame, markers as missing; a record without every feature, or with an infinite number, is
        an InputError here. (A value of the wrong type is one only when the pipeline types the frame.)"""
        require_complete_records(records, self.model.feature_columns)
        frame = pd.DataFrame.from_records(records)
        if missing_values:
            frame = frame.replace(list(missing_values), np.nan)
        require_finite(frame, self.model.numeric_columns)
        return frame

    def predict_proba_frame(self, frame: pd.DataFrame) -> NDArray[Any]:
        return self.model.scores(frame)


class OnnxPredictor:
    """The exported graph in onnxruntime, fed arrays built straight from the records."""

    runtime = "onnxruntime"

    def __init__(self, model: TabularModel, graph: bytes | Path) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        # Requests are small: one thread per session avoids handing a few rows between threads.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        source = str(graph) if isinstance(graph, Path) else graph
        self.session = onnxruntime.InferenceSession(source, options, providers=["CPUExecutionProvider"])
        self.model = model
        self._wanted = {item.name for item in self.session.get_inputs()}
        self.inputs = onnx_inputs_for(model, graph_inputs=self._wanted)
        # A classifier's graph has labels and probabilities; a regressor's one output holds the values (rows, 1).
        outputs = [item.name for item in self.session.get_outputs()]
        self._output = outputs[0] if model.is_regression else next(name for name in outputs if name == "probabilities")

    def predict_proba_feed(self, feed: dict[str, NDArray[Any]]) -> NDArray[Any]:
        """Probabilities (a measurement: its values) for input tensors built by `inputs` (the server runs several
        requests' tensors at once)."""
        feed = {name: value for name, value in feed.items() if name in self._wanted}
        return np.asarray(self.session.run([self._output], feed)[0], dtype=np.float64)

    def predict_proba_records(
        self, records: Sequence[Mapping[str, Any]], missing_values: Sequence[str] = ()
    ) -> NDArray[Any]:
        return self.predict_proba_feed(self.inputs.from_records(records, missing_values))

    def predict_proba_frame(self, frame: pd.DataFrame) -> NDArray[Any]:
        return self.predict_proba_feed(self.inputs.from_frame(frame))


Predictor = ScikitLearnPredictor | OnnxPredictor


def load_predictor(model: TabularModel, onnx_path: Path | None) -> Predictor:
    """onnxruntime if `onnx_path` exists and loads; scikit-learn otherwise, with the reason in the log."""
    if onnx_path is None or not onnx_path.is_file():
        logger.info("serving with scikit-learn: this model version has no ONNX export (see its metadata.json)")
        return ScikitLearnPredictor(model)
    try:
        predictor = OnnxPredictor(model, onnx_path)
    except Exception as error:  # a missing onnxruntime or a graph it cannot load: serve the model all the same
        logger.warning("serving with scikit-learn: cannot load %s (%s: %s)", onnx_path, type(error).__name__, error)
        return ScikitLearnPredictor(model)
    logger.info("serving with onnxruntime from %s", onnx_path)
    return predictor


def labelled(model: TabularModel, probabilities: NDArray[Any]) -> tuple[list[str], list[float]]:
    """Labels and the probability of each label, as plain Python lists for a JSON response."""
    # From the decision's positions and the rows as lists: numpy's indexing costs more than this for a few rows.
    classes = [str(label) for label in model.classes]
    indices = model.class_indices(probabilities).tolist()
    rows = probabilities.tolist()
    chosen = [round(row[index], 6) for row, index in zip(rows, indices, strict=True)]
    return [classes[index] for index in indices], chosen
