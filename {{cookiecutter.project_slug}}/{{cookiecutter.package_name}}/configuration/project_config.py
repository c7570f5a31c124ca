"""The typed shape of config/config.yaml: every key, its type and its allowed range, checked when it is loaded.

The sections a pipeline component reads are declared in entity/config_entity.py (its config entity extends them);
the others (where data and models live, serving, batch prediction) are declared here."""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, field_validator, model_validator

from ..constants.answers import FASTAPI_SERVING, MONGODB_SOURCE, S3_STORAGE, SQL_SOURCE
from ..entity.config_entity import (
    DataIngestionSettings,
    DataTransformationSettings,
    DataValidationSettings,
    ModelEvaluationSettings,
    RemoteStorageConfig,
    StrictSettings,
)
from ..exception import ConfigError
from ..utils.csv_dialect import STANDARD_DIALECT, CsvDialect, known_encoding


class CsvSourceSettings(StrictSettings):
    """The file and how it is written (`schema` detects and writes sep, decimal and encoding)."""

    path: Path = Field(description="the CSV file, relative to the project root")
    sep: str = Field(default=",", min_length=1, max_length=1, description="the delimiter: , ; tab or |")
    decimal: Literal[".", ","] = "."
    encoding: str = Field(default="utf-8", min_length=1)

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        return known_encoding(value)

    def dialect(self) -> CsvDialect:
        return CsvDialect(self.sep, self.decimal, self.encoding)


class MongoDBSourceSettings(StrictSettings):
    database: str = Field(min_length=1)
    collection: str = Field(min_length=1)
    batch_size: int = Field(default=5000, gt=0)
    timeout_seconds: float = Field(default=10, gt=0)


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


# The source this project was generated to read; config.yaml's `data_source.type` must name it.
GENERATED_SOURCE = "mongodb" if MONGODB_SOURCE else "sql" if SQL_SOURCE else "csv"


class DataSourceSettings(StrictSettings):
    """`data_source`: its type and the section of that type."""

    type: Literal["csv", "mongodb", "sql"]
    csv: CsvSourceSettings | None = None
    mongodb: MongoDBSourceSettings | None = None
    sql: SqlSourceSettings | None = None

    @model_validator(mode="after")
    def _generated_type_with_its_section(self) -> DataSourceSettings:
        if self.type != GENERATED_SOURCE:
            raise ValueError(f"this project reads {GENERATED_SOURCE} (chosen when it was generated), not {self.type}")
        if getattr(self, self.type) is None:
            raise ValueError(f"type is {self.type}: add its `{self.type}:` section")
        return self

    def input_dialect(self) -> CsvDialect:
        """How CSV files given to `predict` and `evaluate` are read: as the training file, in a CSV project."""
        return self.csv.dialect() if self.type == "csv" and self.csv is not None else STANDARD_DIALECT


class StorageSettings(StrictSettings):
    artifacts_dir: Path
    experiments_dir: Path
    production_dir: Path
    s3: RemoteStorageConfig | None = None

    @model_validator(mode="after")
    def _s3_when_chosen(self) -> StorageSettings:
        if S3_STORAGE and self.s3 is None:
            raise ValueError("artifact_storage is s3: add the `s3:` section (bucket, prefix, endpoint_url)")
        return self


class ServingSettings(StrictSettings):
    host: str = Field(min_length=1)
    port: int = Field(ge=1, le=65535)
    max_rows: int = Field(gt=0)
    max_upload_bytes: int = Field(gt=0)
    workers: int = Field(default=1, ge=1, le=64)
    access_log: bool = False
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024, le=1024**3)
    model_poll_seconds: float = Field(default=30.0, ge=1, le=3600)


class BatchPredictionSettings(StrictSettings):
    chunk_rows: int = Field(default=100_000, ge=1_000, le=10_000_000)


class ProjectConfig(StrictSettings):
    """config/config.yaml as a whole."""

    data_source: DataSourceSettings
    storage: StorageSettings
    data_ingestion: DataIngestionSettings
    data_validation: DataValidationSettings
    data_transformation: DataTransformationSettings
    serving: ServingSettings | None = None

    @model_validator(mode="after")
    def _serving_when_chosen(self) -> ProjectConfig:
        if FASTAPI_SERVING and self.serving is None:
            raise ValueError("serving: required key is missing")
        return self

    batch_prediction: BatchPredictionSettings = BatchPredictionSettings()
    model_evaluation: ModelEvaluationSettings


Section = TypeVar("Section", bound=StrictSettings)


def required(section: Section | None, key: str) -> Section:
    """A section that only some answers need (`serving`, `storage.s3`, a source's): the validators above require it
    in the projects that use it, so None here means the code asks for a section its project was not made with."""
    if section is None:
        raise ConfigError(f"config/config.yaml: {key}: required key is missing")
    return section
