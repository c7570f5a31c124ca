"""Prediction with the current production model, for files and for in-memory records."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }}.components.model_evaluation import score_model
from {{ cookiecutter.package_name }}.configuration.settings import Settings
from {{ cookiecutter.package_name }}.constants import PACKAGE_NAME
from {{ cookiecutter.package_name }}.exception import ModelNotFoundError
from {{ cookiecutter.package_name }}.ml.model import SensorModel
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry, ProductionModel
from {{ cookiecutter.package_name }}.utils.files import atomic_write_text
from {{ cookiecutter.package_name }}.utils.frames import (
    read_csv_file,
    require_columns,
    require_distinct_paths,
    require_finite,
    require_known_labels,
    require_rows,
)


class PredictionPipeline:
    def __init__(self, settings: Settings, registry: ModelRegistry) -> None:
        self.settings = settings
        self.registry = registry

    def production_model(self) -> ProductionModel:
        production = self.registry.current()
        if production is None:
            raise ModelNotFoundError(f"no production model yet: run `python -m {PACKAGE_NAME} train` first")
        return production

    def predict_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Labels and probabilities in input order; the target column, if present, is ignored."""
        require_rows(frame)
        require_finite(frame, self.settings.schema.columns)
        return SensorModel.load(self.production_model().model_path).predict(frame)

    def predict_file(self, input_path: Path, output_path: Path) -> int:
        require_distinct_paths(input_path, output_path)
        frame = read_csv_file(input_path, self.settings.schema.missing_values)
        require_rows(frame, what=str(input_path))
        predictions = self.predict_frame(frame)
        atomic_write_text(output_path, predictions.to_csv(index=False))
        return len(predictions)

    def evaluate_file(self, input_path: Path) -> dict[str, float]:
        """Metrics of the production model on a labelled CSV."""
        schema = self.settings.schema
        frame = read_csv_file(input_path, schema.missing_values)
        require_columns(frame, [schema.target], what=str(input_path))
        require_rows(frame, what=str(input_path))
        require_finite(frame, schema.columns, what=str(input_path))
        require_known_labels(frame[schema.target], (schema.positive_label, schema.negative_label), str(input_path))
        return score_model(self.production_model().model_path, frame, schema.target, schema.positive_label)
