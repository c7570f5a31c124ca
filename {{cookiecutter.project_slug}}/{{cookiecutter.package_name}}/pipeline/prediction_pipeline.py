"""Prediction with the current production model, for files and for in-memory records."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }}.configuration.settings import Settings
from {{ cookiecutter.package_name }}.constants import PACKAGE_NAME
from {{ cookiecutter.package_name }}.exception import ModelNotFoundError
from {{ cookiecutter.package_name }}.ml.model import TabularModel
from {{ cookiecutter.package_name }}.ml.scoring import score_model
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry, ProductionModel
from {{ cookiecutter.package_name }}.utils.files import atomic_write_text
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file, require_columns


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
        return TabularModel.load(self.production_model().model_path).predict(frame, probabilities=probabilities)

    def predict_file(self, input_path: Path, output_path: Path, probabilities: bool = False) -> int:
        frame = read_csv_file(input_path, self.settings.schema.missing_values)
        predictions = self.predict_frame(frame, probabilities=probabilities)
        atomic_write_text(output_path, predictions.to_csv(index=False))
        return len(predictions)

    def evaluate_file(self, input_path: Path) -> dict[str, float]:
        """Metrics of the production model on a labelled CSV."""
        schema = self.settings.schema
        frame = read_csv_file(input_path, schema.missing_values)
        require_columns(frame, [schema.target], what=str(input_path))
        return score_model(TabularModel.load(self.production_model().model_path), frame, schema.target)
