"""Prediction with the current production model, for files and for in-memory records."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from contextlib import closing
from functools import partial
from pathlib import Path

import pandas as pd

from ..configuration.settings import Settings
from ..exception import InputError, ModelNotFoundError
from ..inference.model import TabularModel
from ..registry.model_registry import ModelRegistry, ProductionModel
from ..reports.last_run import no_production_model
from ..training.scoring import score_model
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
from ..utils.overlap import map_in_order, read_ahead
from ..utils.progress import BYTES, advance_to, progress_bar

# Scoring a chunk at a time on each core: the forest's trees then score one chunk on one thread, in the same
# order as `TabularModel.predict` on one frame, so the probabilities are the same bits on any machine.
MAX_SCORING_THREADS = 4


class PredictionPipeline:
    def __init__(self, settings: Settings, registry: ModelRegistry) -> None:
        self.settings = settings
        self.registry = registry

    def production_model(self) -> ProductionModel:
        production = self.registry.current()
        if production is None:
            artifacts = self.settings.path(self.settings.config.storage.artifacts_dir)
            raise ModelNotFoundError(no_production_model(artifacts))
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
            # The next chunk is read and checked in a thread while chunks before it are scored in others.
            finite = _finite_chunks(chunks, self.settings.schema.columns, str(input_path))
            with closing(read_ahead(finite)) as checked:
                first = next(checked, None)  # bad input is reported before the model is looked for
                model = TabularModel.load(self.production_model().model_path)
                scored = map_in_order(
                    partial(model.predict, probabilities=probabilities),
                    itertools.chain([] if first is None else [first], checked),
                    workers=scoring_threads(),
                )
                written = 0
                with closing(scored), atomic_output(output_path) as output:
                    for predictions in scored:
                        write_csv_rows(predictions, output, header=written == 0)
                        written += len(predictions)
                    if written == 0:  # nothing is written: the temporary file is removed
                        raise InputError(f"{input_path} has no rows")
        return written

    def evaluate_file(self, input_path: Path) -> dict[str, float]:
        """Metrics of the production model on a labelled CSV; `cost` only where model_evaluation.costs are set."""
        schema = self.settings.schema
        frame = read_csv_file(input_path, schema.missing_values)
        require_columns(frame, [schema.target], what=str(input_path))
        require_rows(frame, what=str(input_path))
        require_finite(frame, schema.columns, what=str(input_path))
        require_known_labels(frame[schema.target], schema.classes, str(input_path))
        model = TabularModel.load(self.production_model().model_path)
        return score_model(model, frame, schema.target, self.settings.config.model_evaluation.costs)


def _finite_chunks(chunks: Iterator[pd.DataFrame], columns: Sequence[str], what: str) -> Iterator[pd.DataFrame]:
    """Each chunk with rows once through `require_finite`, as it is read."""
    for chunk in chunks:
        require_finite(chunk, columns, what=what)
        if len(chunk):
            yield chunk


def scoring_threads() -> int:
    """Chunks scored at once: one per core, at most MAX_SCORING_THREADS (each holds a chunk in memory)."""
    return max(1, min(os.cpu_count() or 1, MAX_SCORING_THREADS))
