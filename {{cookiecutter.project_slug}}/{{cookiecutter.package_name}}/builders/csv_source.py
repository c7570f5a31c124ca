"""The CSV source: the file of `data_source.csv.path`, relative to the project root, read in its dialect."""

from __future__ import annotations

from ..configuration.project_config import required
from ..configuration.settings import Settings
from ..data_access.csv_source import CsvDataSource
from ..data_access.source import DataSource


def build_csv_source(settings: Settings) -> DataSource:
    options = required(settings.config.data_source.csv, "data_source.csv")
    return CsvDataSource(settings.path(options.path), settings.schema.missing_values, options.dialect())
