"""Prediction with the current production model, for files and for in-memory records."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path

import pandas as pd

from ..configuration.settings import Settings
from ..constants import PACKAGE_NAME
from ..exception import InputError, ModelNotFoundError
from ..ml.model import TabularModel
from ..ml.scoring import score_model
from ..registry.model_registry import ModelRegistry, ProductionModel
from ..utils.csv_chunks import read_csv_chunks, write_csv_rows
from ..utils.files import atomic_output
from ..utils.frames import (
    read_csv_file,
    require_columns,
    require_distinct_paths,
    require_finite,
    require_known_labels,
    require_rows,
)
from ..utils.progress import BYTES, advance_to, progress_bar


class PredictionPipeline:
    def __init__(self, settings: Settings, registry: ModelRegistry) -> None:
        self.settings = settings
        self.registry = registry

    def production_model(self) -> ProductionModel:
        production = self.registry.current()
        if production is None:
            raise ModelNotFoundError(f"no production model yet: run `python -m {PACKAGE_NAME} train` first")
        return production

    def predict_frame(self, frame: pd.DataFrame, probabilities: bool = False) -> pd.DataFrame:
        """Label and its probability per row in input order (plus one column per class with `probabilities`);
        the target column, if present, is ignored."""
        require_rows(frame)
        require_finite(frame, self.settings.schema.columns)
        return TabularModel.load(self.production_model().model_path).predict(frame, probabilities=probabilities)

    def predict_file(
        self, input_path: Path, output_path: Path, chunk_rows: int | None = None, probabilities: bool = False
    ) -> int:
        """Stream the CSV through the model chunk by chunk: memory depends on the chunk size, not the file size.

        Output goes to a temporary file beside `output_path`, renamed over it only when every row is written, so
        a failure or an interrupt never leaves a partial file.
        """
        require_distinct_paths(input_path, output_path)
        rows = chunk_rows or self.settings.config.batch_prediction.chunk_rows
        size = input_path.stat().st_size if input_path.is_file() else None
        with progress_bar("predict", total=size, unit=BYTES) as bar:
            chunks = read_csv_chunks(
                input_path, rows, self.settings.schema.missing_values, on_bytes_read=partial(advance_to, bar)
            )
            checked = _finite_chunks(chunks, self.settings.schema.columns, str(input_path))
            first = next(checked, None)  # bad input is reported before the model is looked for
            model = _on_all_cores(TabularModel.load(self.production_model().model_path))
            written = 0
            with atomic_output(output_path) as output:
                for chunk in itertools.chain([] if first is None else [first], checked):
                    if len(chunk):
                        predictions = model.predict(chunk, probabilities=probabilities)
                        write_csv_rows(predictions, output, header=written == 0)
                        written += len(chunk)
                if written == 0:  # nothing is written: the temporary file is removed
                    raise InputError(f"{input_path} has no rows")
        return written

    def evaluate_file(self, input_path: Path) -> dict[str, float]:
        """Metrics of the production model on a labelled CSV."""
        schema = self.settings.schema
        frame = read_csv_file(input_path, schema.missing_values)
        require_columns(frame, [schema.target], what=str(input_path))
        require_rows(frame, what=str(input_path))
        require_finite(frame, schema.columns, what=str(input_path))
        require_known_labels(frame[schema.target], schema.classes, str(input_path))
        return score_model(TabularModel.load(self.production_model().model_path), frame, schema.target)


def _finite_chunks(chunks: Iterator[pd.DataFrame], columns: Sequence[str], what: str) -> Iterator[pd.DataFrame]:
    """Each chunk once through `require_finite`, as it is read."""
    for chunk in chunks:
        require_finite(chunk, columns, what=what)
        yield chunk


def _on_all_cores(model: TabularModel) -> TabularModel:
    """Let the estimator use every core for a batch (trees score in parallel); the saved file is not changed."""
    estimator = model.pipeline.steps[-1][1]
    if "n_jobs" in estimator.get_params(deep=False):
        estimator.set_params(n_jobs=-1)
    return model
