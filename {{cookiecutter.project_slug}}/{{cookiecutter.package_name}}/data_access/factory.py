"""Builds the data source configured under `data_source` in config/config.yaml."""

from __future__ import annotations

from ..configuration.settings import Settings
{%- if cookiecutter.data_source == "mongodb" %}
from ..constants import MONGODB_URL_ENV_VAR
{%- elif cookiecutter.data_source == "sql" %}
from ..constants import DATABASE_URL_ENV_VAR
{%- endif %}
{%- if cookiecutter.data_source == "csv" %}
from .csv_source import CsvDataSource
{%- elif cookiecutter.data_source == "mongodb" %}
from .mongodb_source import MongoDBSource
{%- endif %}
from .source import DataSource
{%- if cookiecutter.data_source == "sql" %}
from .sql_source import SqlSource, resolve_sqlite_path
{%- endif %}
{%- if cookiecutter.data_source != "csv" %}
from ..exception import ConfigError
{%- endif %}


def build_data_source(settings: Settings) -> DataSource:
{%- if cookiecutter.data_source == "csv" %}
    options = settings.config.data_source.csv
    return CsvDataSource(settings.path(options.path), settings.schema.missing_values)
{%- elif cookiecutter.data_source == "mongodb" %}
    options = settings.config.data_source.mongodb
    url = settings.environment.mongodb_url
    if url is None or not url.get_secret_value().strip():
        raise ConfigError(
            f"environment variable {MONGODB_URL_ENV_VAR} is not set: the MongoDB connection string, "
            "e.g. mongodb://localhost:27017 (see .env.example)"
        )
    return MongoDBSource(
        url=url.get_secret_value(),
        database=options.database,
        collection=options.collection,
        missing_values=settings.schema.missing_values,
        batch_size=options.batch_size,
        timeout_seconds=options.timeout_seconds,
    )
{%- elif cookiecutter.data_source == "sql" %}
    options = settings.config.data_source.sql
    secret = settings.environment.database_url
    url = secret.get_secret_value() if secret else options.default_url
    if not url:
        raise ConfigError(f"set {DATABASE_URL_ENV_VAR} or data_source.sql.default_url in config/config.yaml")
    return SqlSource(
        url=resolve_sqlite_path(url, settings.project_root),
        table=options.table,
        query=options.query,
        missing_values=settings.schema.missing_values,
        timeout_seconds=options.timeout_seconds,
    )
{%- endif %}
