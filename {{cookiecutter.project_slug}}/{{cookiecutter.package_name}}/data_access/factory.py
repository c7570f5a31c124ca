"""Chooses the data source named by `data_source.type` in config/config.yaml."""

from __future__ import annotations
{% if cookiecutter.data_source == "sql" %}
import os
{% endif %}
{%- if cookiecutter.data_source == "mongodb" %}
from {{ cookiecutter.package_name }}.configuration.environment import required_env
{%- endif %}
from {{ cookiecutter.package_name }}.configuration.settings import Settings
{%- if cookiecutter.data_source == "csv" %}
from {{ cookiecutter.package_name }}.data_access.csv_source import CsvDataSource
{%- elif cookiecutter.data_source == "mongodb" %}
from {{ cookiecutter.package_name }}.data_access.mongodb_source import MONGODB_URL_ENV_VAR, MongoDBSource
{%- endif %}
from {{ cookiecutter.package_name }}.data_access.source import DataSource
{%- if cookiecutter.data_source == "sql" %}
from {{ cookiecutter.package_name }}.data_access.sql_source import DATABASE_URL_ENV_VAR, SqlSource, resolve_sqlite_path
{%- endif %}
from {{ cookiecutter.package_name }}.exception import ConfigError


def _options(settings: Settings, kind: str) -> dict:
    options = settings.section("data_source").get(kind)
    if not isinstance(options, dict):
        raise ConfigError(f"config/config.yaml: data_source.{kind} is missing")
    return options
{%- if cookiecutter.data_source == "csv" %}


def _csv(settings: Settings) -> DataSource:
    options = _options(settings, "csv")
    if "path" not in options:
        raise ConfigError("config/config.yaml: data_source.csv.path is required")
    return CsvDataSource(settings.path(options["path"]), settings.schema.missing_values)


_BUILDERS = {"csv": _csv}
{%- elif cookiecutter.data_source == "mongodb" %}


def _mongodb(settings: Settings) -> DataSource:
    options = _options(settings, "mongodb")
    try:
        return MongoDBSource(
            url=required_env(MONGODB_URL_ENV_VAR, "the MongoDB connection string, e.g. mongodb://localhost:27017"),
            database=str(options["database"]),
            collection=str(options["collection"]),
            missing_values=settings.schema.missing_values,
            batch_size=int(options.get("batch_size", 5000)),
            timeout_seconds=float(options.get("timeout_seconds", 10)),
        )
    except KeyError as exc:
        raise ConfigError(f"config/config.yaml: data_source.mongodb.{exc.args[0]} is required") from exc


_BUILDERS = {"mongodb": _mongodb}
{%- elif cookiecutter.data_source == "sql" %}


def _sql(settings: Settings) -> DataSource:
    options = _options(settings, "sql")
    url = os.environ.get(DATABASE_URL_ENV_VAR) or options.get("default_url")
    if not url:
        raise ConfigError(f"set {DATABASE_URL_ENV_VAR} or data_source.sql.default_url in config/config.yaml")
    return SqlSource(
        url=resolve_sqlite_path(url, settings.project_root),
        table=options.get("table"),
        query=options.get("query"),
        missing_values=settings.schema.missing_values,
        timeout_seconds=int(options.get("timeout_seconds", 10)),
    )


_BUILDERS = {"sql": _sql}
{%- endif %}


def build_data_source(settings: Settings) -> DataSource:
    kind = settings.section("data_source").get("type")
    if kind not in _BUILDERS:
        raise ConfigError(f"config/config.yaml: data_source.type '{kind}' is not one of {', '.join(_BUILDERS)}")
    return _BUILDERS[kind](settings)
