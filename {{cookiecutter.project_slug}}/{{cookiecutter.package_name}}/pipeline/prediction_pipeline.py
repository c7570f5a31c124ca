"""Prediction with the current production model, for files and for in-memory records."""

from __future__ import annotations

import itertools
import os
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..configuration.settings import Settings
from ..constants import PREDICTION_COLUMN, PROBABILITY_COLUMN
from ..entity.data_schema import DataSchema
from ..exception import InputError, ModelNotFoundError
from ..inference.leaf_order import OrderedRows
from ..inference.model import TabularModel
from ..registry.model_registry import ModelRegistry, ProductionModel
from ..reports.last_run import no_production_model
from ..training.scoring import score_model
from ..training.splitting import content_hashes
from ..utils.csv_chunks import read_csv_chunks, write_csv_rows
from ..utils.files import atomic_output, require_distinct_paths
from ..utils.frames import (
    read_csv_file,
    require_columns,
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

    def input_schema(self, production: ProductionModel | None = None) -> DataSchema:
        """The schema rows are read with: the one kept with the production version (so a schema.yaml written for
        new data never changes how the model in production reads its input), config/schema.yaml before that."""
        production = production or self.registry.current()
        saved = production.data_schema if production is not None else None
        return saved or self.settings.schema

    def predict_frame(self, frame: pd.DataFrame, probabilities: bool = False) -> pd.DataFrame:
        """Label and its probability per row in input order (plus one column per class with `probabilities`);
        the target column, if present, is ignored."""
        require_rows(frame)
        production = self.production_model()
        require_finite(frame, self.input_schema(production).numeric_columns)
        return TabularModel.load(production.model_path).predict(frame, probabilities=probabilities)

    def predict_file(
        self,
        input_path: Path,
        output_path: Path,
        chunk_rows: int | None = None,
        probabilities: bool = False,
        keep: Sequence[str] = (),
        intervals: bool = False,
    ) -> int:
        """Stream the CSV through the model chunk by chunk: memory depends on the chunk size, not the file size.

        Output goes to a temporary file beside `output_path`, renamed over it only when every row is written, so
        a failure or an interrupt never leaves a partial file. `keep` columns (an ID, to join predictions back to the
        rows) come first, their values as the file writes them.
        """
        require_distinct_paths(input_path, output_path)
        rows = chunk_rows or self.settings.config.batch_prediction.chunk_rows
        size = input_path.stat().st_size if input_path.is_file() else None
        current = self.registry.current()
        schema = self.input_schema(current)
        with progress_bar("predict", total=size, unit=BYTES) as bar:
            chunks = read_csv_chunks(
                input_path,
                rows,
                schema.missing_values,
                on_bytes_read=partial(advance_to, bar),
                dialect=self.settings.config.data_source.input_dialect(),
                text_columns=[column for column in keep if column not in schema.feature_columns],
                columns=[*schema.feature_columns, *keep],
            )
            # Stages overlap, each in its own thread: reading, checking, typing and preprocessing the next chunk
            # (`TabularModel.prepare`; all of it mostly holds the GIL); scoring the chunks before it in the trees
            # (which release the GIL), one chunk per core; and writing, here.
            finite = _finite_chunks(chunks, schema.numeric_columns, str(input_path))
            with closing(finite):
                first = next(finite, None)  # bad input is reported before the model is looked for
                kept = list(checked_keep_columns([] if first is None else list(first.columns), keep))
                model = TabularModel.load((current or self.production_model()).model_path)
                model.require_outputs(probabilities, intervals)
                # A prepared chunk carries only the input columns it keeps (often none): memory stays per chunk.
                prepared = read_ahead(
                    (chunk[kept], model.prepare(chunk))
                    for chunk in itertools.chain([] if first is None else [first], finite)
                )
                scored = map_in_order(
                    partial(_predict_keeping, model, probabilities, intervals), prepared, workers=scoring_threads()
                )
                written = 0
                with closing(prepared), closing(scored), atomic_output(output_path) as output:
                    for predictions in scored:
                        write_csv_rows(predictions, output, header=written == 0)
                        written += len(predictions)
                    if written == 0:  # nothing is written: the temporary file is removed
                        raise InputError(f"{input_path} has no rows")
        return written

    def evaluate_file(self, input_path: Path) -> dict[str, Any]:
        """Metrics of the production model on a labelled CSV; `cost` only where model_evaluation.costs are set.

        When the file holds rows the model trained on, those metrics flatter it: `rows_seen_in_training` counts them
        and `held_out` has the metrics of the other rows (None when there are none).
        """
        production = self.production_model()
        schema = self.input_schema(production)
        frame = read_csv_file(input_path, schema.missing_values, self.settings.config.data_source.input_dialect())
        require_columns(frame, [schema.target], what=str(input_path))
        require_rows(frame, what=str(input_path))
        require_finite(frame, schema.numeric_columns, what=str(input_path))
        if not schema.is_regression:
            require_known_labels(frame[schema.target], schema.classes, str(input_path))
        model = TabularModel.load(production.model_path)
        costs = self.settings.config.model_evaluation.costs
        metrics: dict[str, Any] = score_model(model, frame, schema.target, costs)
        if production.training_rows_path.is_file():
            seen = np.isin(content_hashes(frame, schema), np.load(production.training_rows_path))
            if seen.any():
                unseen = frame[~seen]
                metrics["rows_seen_in_training"] = int(seen.sum())
                metrics["held_out"] = score_model(model, unseen, schema.target, costs) if len(unseen) else None
        return metrics


def checked_keep_columns(columns: Sequence[str], keep: Sequence[str]) -> tuple[str, ...]:
    """The `--keep` columns, each once, if the input has them all and none clashes with an output column."""
    if not keep or not columns:
        return tuple(dict.fromkeys(keep))
    missing = [column for column in keep if column not in columns]
    if missing:
        raise InputError(f"--keep names columns the input does not have: {', '.join(missing)}")
    clashing = [column for column in keep if column in (PREDICTION_COLUMN, PROBABILITY_COLUMN)]
    if clashing:
        raise InputError(f"--keep cannot keep {', '.join(clashing)}: the output adds a column of that name")
    return tuple(dict.fromkeys(keep))


def _predict_keeping(
    model: TabularModel, probabilities: bool, intervals: bool, kept_and_rows: tuple[pd.DataFrame, OrderedRows]
) -> pd.DataFrame:
    """A chunk's predictions (from its prepared rows), after the columns it keeps from the input (if any)."""
    kept, rows = kept_and_rows
    predictions = model.predict_prepared(rows, probabilities=probabilities, intervals=intervals)
    if kept.columns.empty:
        return predictions
    return pd.concat([kept.reset_index(drop=True), predictions.reset_index(drop=True)], axis=1)


def _finite_chunks(chunks: Iterator[pd.DataFrame], columns: Sequence[str], what: str) -> Generator[pd.DataFrame]:
    """Each chunk with rows once through `require_finite`, as it is read."""
    for chunk in chunks:
        require_finite(chunk, columns, what=what)
        if len(chunk):
            yield chunk


def scoring_threads() -> int:
    """Chunks scored at once: one per core, at most MAX_SCORING_THREADS (each holds a chunk in memory)."""
    return max(1, min(os.cpu_count() or 1, MAX_SCORING_THREADS))
