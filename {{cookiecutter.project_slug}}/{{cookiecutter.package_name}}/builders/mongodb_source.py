"""The MongoDB source: the collection of `data_source.mongodb`, the connection string from MONGODB_URL."""

from __future__ import annotations

from ..configuration.project_config import required
from ..configuration.settings import Settings
from ..constants import MONGODB_URL_ENV_VAR
from ..data_access.mongodb_source import MongoDBSource
from ..data_access.source import DataSource
from ..exception import ConfigError


def build_mongodb_source(settings: Settings) -> DataSource:
    options = required(settings.config.data_source.mongodb, "data_source.mongodb")
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
