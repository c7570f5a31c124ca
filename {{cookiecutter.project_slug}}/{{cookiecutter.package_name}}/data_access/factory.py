"""Chooses the data source named by `data_source.type` in config/config.yaml."""

from __future__ import annotations

from {{ cookiecutter.package_name }}.configuration.settings import Settings
from {{ cookiecutter.package_name }}.data_access.csv_source import CsvDataSource
from {{ cookiecutter.package_name }}.data_access.source import DataSource
from {{ cookiecutter.package_name }}.exception import ConfigError


def _csv(settings: Settings) -> DataSource:
    options = settings.section("data_source").get("csv") or {}
    if "path" not in options:
        raise ConfigError("config/config.yaml: data_source.csv.path is required")
    return CsvDataSource(settings.path(options["path"]), settings.schema.missing_values)


_BUILDERS = {"csv": _csv}


def build_data_source(settings: Settings) -> DataSource:
    kind = settings.section("data_source").get("type")
    if kind not in _BUILDERS:
        raise ConfigError(f"config/config.yaml: data_source.type '{kind}' is not one of {', '.join(_BUILDERS)}")
    return _BUILDERS[kind](settings)
