"""The input of every component: frozen, built once per run by the configuration package."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

# How categories reach the estimator: one-hot columns, or pandas `category` columns for libraries that split on them.
CategoricalEncoding = Literal["onehot", "native"]


@dataclass(frozen=True)
class DataSchema:
    """What the raw data looks like: read from config/schema.yaml.

    `classes` are the target's labels in the estimator's order; with two classes the positive one is last.
    """

    target: str
    classes: tuple[str, ...]
    column_types: tuple[tuple[str, str], ...]
    positive_label: str | None = None
    drop_columns: tuple[str, ...] = ()
    missing_values: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every raw feature column named in the schema, dropped ones included."""
        return tuple(name for name, _ in self.column_types)

    @property
    def feature_columns(self) -> tuple[str, ...]:
        """Columns the model sees: every schema column except the dropped ones."""
        return tuple(column for column in self.columns if column not in self.drop_columns)

    @property
    def feature_types(self) -> dict[str, str]:
        """Feature column -> numeric | categorical | boolean, in schema order."""
        return {name: kind for name, kind in self.column_types if name not in self.drop_columns}

    @property
    def is_binary(self) -> bool:
        return len(self.classes) == 2

    @property
    def negative_label(self) -> str | None:
        """Two classes only: the class that is not the positive one."""
        return self.classes[0] if self.is_binary else None


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
    # Column whose value decides a row's side of the split (an ID); None: the row's whole content.
    key_column: str | None = None


@dataclass(frozen=True)
class DataValidationConfig:
    output_dir: Path
    schema: DataSchema
    max_missing_fraction: float
    psi_threshold: float
    max_drifted_share: float
    fail_on_drift: bool
    missing_share_threshold: float = 0.1
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
    categorical_encoding: CategoricalEncoding = "onehot"


@dataclass(frozen=True)
class ModelTrainerConfig:
    output_dir: Path
    model_dir: Path
    schema: DataSchema
    estimator: str
    random_state: int
    params: dict[str, Any] = field(default_factory=dict)
    metric: str = "f1"  # the gate's metric: the decision threshold is tuned for it
    tune_threshold: bool = True
    threshold_folds: int = 3


@dataclass(frozen=True)
class ModelEvaluationConfig:
    output_dir: Path
    schema: DataSchema
    metric: str
    min_score: float | None
    min_improvement: float
    standard_errors: float = 1.0
    random_state: int = 42
    production_model_path: Path | None = None
    production_version: str | None = None


@dataclass(frozen=True)
class RemoteStorageConfig:
    """Where the copy of artifacts and models lives; credentials are not here, they come from the AWS chain."""

    bucket: str
    prefix: str
    endpoint_url: str | None = None


@dataclass(frozen=True)
class ModelPusherConfig:
    output_dir: Path
    run_id: str
    package_version: str
    template_version: str
    missing_values: tuple[str, ...] = ()
