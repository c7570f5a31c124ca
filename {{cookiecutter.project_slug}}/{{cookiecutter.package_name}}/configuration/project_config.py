"""The typed shape of config/config.yaml: every key, its type and its allowed range, checked when it is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field{% if cookiecutter.data_source == "sql" %}, model_validator{% endif %}

from .validation import StrictSettings
{%- if cookiecutter.artifact_storage == "s3" %}
from ..entity.config_entity import RemoteStorageConfig
{%- endif %}
from ..ml.metrics import MetricName
{%- if cookiecutter.data_source == "csv" %}


class CsvSourceSettings(StrictSettings):
    path: Path = Field(description="the CSV file, relative to the project root")


class DataSourceSettings(StrictSettings):
    type: Literal["csv"]
    csv: CsvSourceSettings
{%- elif cookiecutter.data_source == "mongodb" %}


class MongoDBSourceSettings(StrictSettings):
    database: str = Field(min_length=1)
    collection: str = Field(min_length=1)
    batch_size: int = Field(default=5000, gt=0)
    timeout_seconds: float = Field(default=10, gt=0)


class DataSourceSettings(StrictSettings):
    type: Literal["mongodb"]
    mongodb: MongoDBSourceSettings
{%- elif cookiecutter.data_source == "sql" %}


class SqlSourceSettings(StrictSettings):
    default_url: str | None = None
    table: str | None = None
    query: str | None = None
    timeout_seconds: int = Field(default=10, gt=0)

    @model_validator(mode="after")
    def _table_or_query(self) -> SqlSourceSettings:
        if (self.table is None) == (self.query is None):
            raise ValueError("set exactly one of table and query")
        return self


class DataSourceSettings(StrictSettings):
    type: Literal["sql"]
    sql: SqlSourceSettings
{%- endif %}
{%- if cookiecutter.artifact_storage == "s3" %}


class S3Settings(StrictSettings):
    bucket: str = Field(min_length=3, max_length=63)
    prefix: str = ""
    endpoint_url: str | None = None

    def entity(self) -> RemoteStorageConfig:
        return RemoteStorageConfig(bucket=self.bucket, prefix=self.prefix, endpoint_url=self.endpoint_url or None)
{%- endif %}


class StorageSettings(StrictSettings):
    artifacts_dir: Path
    experiments_dir: Path
    production_dir: Path
{%- if cookiecutter.artifact_storage == "s3" %}
    s3: S3Settings
{%- endif %}


class DataIngestionSettings(StrictSettings):
    test_size: float = Field(gt=0, lt=1)
    random_state: int
    key_column: str | None = None


class DriftSettings(StrictSettings):
    psi_threshold: float = Field(ge=0)
    max_drifted_share: float = Field(ge=0, le=1)
    fail_on_drift: bool = False
    missing_share_threshold: float = Field(default=0.1, ge=0, le=1)


class DataValidationSettings(StrictSettings):
    max_missing_fraction: float = Field(ge=0, le=1)
    drift: DriftSettings


class DataTransformationSettings(StrictSettings):
    oversample_minority: bool
    minority_ratio: float = Field(gt=0, le=1)
    random_state: int
{%- if cookiecutter.serving == "fastapi" %}


class ServingSettings(StrictSettings):
    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)
    max_rows: int = Field(gt=0)
    max_upload_bytes: int = Field(gt=0)
    workers: int = Field(default=1, ge=1, le=64)
    access_log: bool = False
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024, le=1024**3)
    model_poll_seconds: float = Field(default=30.0, ge=1, le=3600)
{%- endif %}


class BatchPredictionSettings(StrictSettings):
    chunk_rows: int = Field(default=100_000, ge=1_000, le=10_000_000)


class ModelEvaluationSettings(StrictSettings):
    metric: MetricName
    min_improvement: float
    standard_errors: float = Field(default=1.0, ge=0)
    min_score: float | None = None


class ProjectConfig(StrictSettings):
    """config/config.yaml as a whole."""

    data_source: DataSourceSettings
    storage: StorageSettings
    data_ingestion: DataIngestionSettings
    data_validation: DataValidationSettings
    data_transformation: DataTransformationSettings
{%- if cookiecutter.serving == "fastapi" %}
    serving: ServingSettings
{%- endif %}
    batch_prediction: BatchPredictionSettings = BatchPredictionSettings()
    model_evaluation: ModelEvaluationSettings
