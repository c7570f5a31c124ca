"""Shared fixtures. Every test works on a copy of the project in a temporary directory, never on the real
models/ or artifacts/, and the component fixtures chain like the pipeline does."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.components.data_ingestion import DataIngestion
from {{ cookiecutter.package_name }}.components.data_transformation import DataTransformation
from {{ cookiecutter.package_name }}.components.data_validation import DataValidation
from {{ cookiecutter.package_name }}.components.model_trainer import ModelTrainer
from {{ cookiecutter.package_name }}.configuration import Settings, load_settings
from {{ cookiecutter.package_name }}.configuration.training_config import TrainingConfiguration
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR, HOME_ENV_VAR
from {{ cookiecutter.package_name }}.data_access import build_data_source
from {{ cookiecutter.package_name }}.entity import artifact_entity
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = Path("data") / "raw" / "sensor_sample.csv"


@pytest.fixture(autouse=True)
def _close_log_handlers() -> Iterator[None]:
    """The CLI attaches handlers to pytest's captured streams; drop them so later tests log cleanly."""
    yield
    package_logger = logging.getLogger("{{ cookiecutter.package_name }}")
    for handler in list(package_logger.handlers):
        package_logger.removeHandler(handler)
        handler.close()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway project directory holding the real config and sample data."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / CONFIG_DIR, root / CONFIG_DIR)
    (root / SAMPLE_DATA).parent.mkdir(parents=True)
    shutil.copy2(PROJECT_ROOT / SAMPLE_DATA, root / SAMPLE_DATA)
    monkeypatch.setenv(HOME_ENV_VAR, str(root))
    return root


@pytest.fixture
def settings(project: Path) -> Settings:
    return load_settings(project)


@pytest.fixture
def sample_frame(settings: Settings) -> pd.DataFrame:
    return read_csv_file(settings.project_root / SAMPLE_DATA, settings.schema.missing_values)


@pytest.fixture
def configuration(settings: Settings) -> TrainingConfiguration:
    return TrainingConfiguration(settings, run_id="test-run", production=None)


@pytest.fixture
def ingestion_artifact(configuration: TrainingConfiguration) -> artifact_entity.DataIngestionArtifact:
    source = build_data_source(configuration.settings)
    return DataIngestion(configuration.data_ingestion(), source).run()


@pytest.fixture
def validation_artifact(configuration, ingestion_artifact) -> artifact_entity.DataValidationArtifact:
    return DataValidation(configuration.data_validation(), ingestion_artifact).run()


@pytest.fixture
def transformation_artifact(configuration, validation_artifact) -> artifact_entity.DataTransformationArtifact:
    return DataTransformation(configuration.data_transformation(), validation_artifact).run()


@pytest.fixture
def trainer_artifact(configuration, transformation_artifact) -> artifact_entity.ModelTrainerArtifact:
    return ModelTrainer(configuration.model_trainer(), transformation_artifact).run()
