"""Environment variables, with a project .env file as a fallback for local development.

Secrets (connection strings, keys, tokens) only ever come from here, never from config/*.yaml. The .env file is
read with python-dotenv into the process environment (variables already set win), so libraries that read the
environment themselves (boto3 reads AWS_*) see it too.
"""

from __future__ import annotations

from pathlib import Path

from dotenv import load_dotenv
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..constants import (
    DATABASE_URL_ENV_VAR,
    FEATURE_LOG_MAX_BYTES_ENV_VAR,
    FEATURE_LOG_SAMPLE_RATE_ENV_VAR,
    MLFLOW_TRACKING_URI_ENV_VAR,
    MONGODB_URL_ENV_VAR,
    TRAIN_TOKEN_ENV_VAR,
)


class Environment(BaseSettings):
    """The variables the project may read; each is optional here and required only by the code that needs it (a
    source, the server, the tracker), so a project reads only those of the options it was generated with."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, populate_by_name=False)

    mongodb_url: SecretStr | None = Field(default=None, alias=MONGODB_URL_ENV_VAR)
    database_url: SecretStr | None = Field(default=None, alias=DATABASE_URL_ENV_VAR)

    train_token: SecretStr | None = Field(default=None, alias=TRAIN_TOKEN_ENV_VAR)
    feature_log_sample_rate: float = Field(default=0.0, ge=0, le=1, alias=FEATURE_LOG_SAMPLE_RATE_ENV_VAR)
    feature_log_max_bytes: int = Field(default=10_000_000, gt=0, alias=FEATURE_LOG_MAX_BYTES_ENV_VAR)

    # Unset: the embedded store mlruns.db in the project. A URL may carry credentials, hence secret.
    mlflow_tracking_uri: SecretStr | None = Field(default=None, alias=MLFLOW_TRACKING_URI_ENV_VAR)


def load_environment(project_root: Path) -> Environment:
    """Read the project's .env (if any) into the environment, then the variables the project knows."""
    load_dotenv(project_root / ".env", override=False)
    return Environment()
