"""The SQL source: the table or query of `data_source.sql`, the URL from DATABASE_URL or the configured default."""

from __future__ import annotations

from ..configuration.project_config import required
from ..configuration.settings import Settings
from ..constants import DATABASE_URL_ENV_VAR
from ..data_access.source import DataSource
from ..data_access.sql_source import SqlSource, resolve_sqlite_path
from ..exception import ConfigError


def build_sql_source(settings: Settings) -> DataSource:
    options = required(settings.config.data_source.sql, "data_source.sql")
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
