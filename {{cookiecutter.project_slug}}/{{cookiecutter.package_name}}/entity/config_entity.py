"""The input of every component: frozen, built once per run by the configuration package."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class DataSchema:
    """What the raw data looks like: read from config/schema.yaml."""

    target: str
    positive_label: str
    negative_label: str
    columns: tuple[str, ...]
    drop_columns: tuple[str, ...] = ()
    missing_values: tuple[str, ...] = ()

    @property
    def feature_columns(self) -> tuple[str, ...]:
        """Columns the model sees: every schema column except the dropped ones."""
        return tuple(column for column in self.columns if column not in self.drop_columns)


@dataclass(frozen=True)
class TrainingPipelineConfig:
    project_root: Path
    run_id: str
    artifact_dir: Path


@dataclass(frozen=True)
class DataIngestionConfig:
    output_dir: Path
    schema: DataSchema
    test_size: float
    random_state: int


@dataclass(frozen=True)
class DataValidationConfig:
    output_dir: Path
    schema: DataSchema
    max_missing_fraction: float
    psi_threshold: float
    max_drifted_share: float
    fail_on_drift: bool
    # Profile of the production model's training data; None before the first promotion.
    reference_profile_path: Path | None = None
    reference_version: str | None = None


@dataclass(frozen=True)
class DataTransformationConfig:
    output_dir: Path
    schema: DataSchema
    oversample_minority: bool
    minority_ratio: float
    random_state: int


@dataclass(frozen=True)
class ModelTrainerConfig:
    output_dir: Path
    model_dir: Path
    schema: DataSchema
    estimator: str
    random_state: int
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelEvaluationConfig:
    output_dir: Path
    schema: DataSchema
    metric: str
    min_score: float
    min_improvement: float
    production_model_path: Path | None = None
    production_version: str | None = None


{% if cookiecutter.artifact_storage == "s3" -%}
@dataclass(frozen=True)
class RemoteStorageConfig:
    """Where the copy of artifacts and models lives; credentials are not here, they come from the AWS chain."""

    bucket: str
    prefix: str
    endpoint_url: str | None = None


{% endif -%}
@dataclass(frozen=True)
class ModelPusherConfig:
    output_dir: Path
    run_id: str
    package_version: str
    template_version: str
    missing_values: tuple[str, ...] = ()
