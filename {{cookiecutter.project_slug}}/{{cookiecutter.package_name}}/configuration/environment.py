"""Environment variables, with a project .env file as a fallback for local development.

Secrets (connection strings, keys, tokens) only ever come from here, never from config/*.yaml. The .env file is
read with python-dotenv into the process environment (variables already set win), so libraries that read the
environment themselves (boto3 reads AWS_*) see it too.
"""

from __future__ import annotations

from pathlib import Path

{%- set names = [] %}
{%- if cookiecutter.data_source == "mongodb" %}{% set _ = names.append("MONGODB_URL_ENV_VAR") %}{% endif %}
{%- if cookiecutter.data_source == "sql" %}{% set _ = names.append("DATABASE_URL_ENV_VAR") %}{% endif %}
{%- if cookiecutter.serving == "fastapi" %}{% set _ = names.append("TRAIN_TOKEN_ENV_VAR") %}{% endif %}
{%- if cookiecutter.serving == "fastapi" %}{% set _ = names.extend(["FEATURE_LOG_MAX_BYTES_ENV_VAR", "FEATURE_LOG_SAMPLE_RATE_ENV_VAR"]) %}{% endif %}
{%- if cookiecutter.experiment_tracking == "mlflow" %}{% set _ = names.append("MLFLOW_TRACKING_URI_ENV_VAR") %}{% endif %}

from dotenv import load_dotenv
{%- if names %}
from pydantic import Field, SecretStr
{%- endif %}
from pydantic_settings import BaseSettings, SettingsConfigDict
{%- if names %}
{%- set line = "from " ~ cookiecutter.package_name ~ ".constants import " ~ (names | sort | join(", ")) %}

{% if line | length <= 120 -%}
{{ line }}
{%- else -%}
from ..constants import (
{%- for name in names | sort %}
    {{ name }},
{%- endfor %}
)
{%- endif %}
{%- endif %}


class Environment(BaseSettings):
    """The variables the project reads; each is optional here and required only by the code that needs it."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, populate_by_name=False)
{%- if cookiecutter.data_source == "mongodb" %}

    mongodb_url: SecretStr | None = Field(default=None, alias=MONGODB_URL_ENV_VAR)
{%- elif cookiecutter.data_source == "sql" %}

    database_url: SecretStr | None = Field(default=None, alias=DATABASE_URL_ENV_VAR)
{%- endif %}
{%- if cookiecutter.serving == "fastapi" %}

    train_token: SecretStr | None = Field(default=None, alias=TRAIN_TOKEN_ENV_VAR)
    feature_log_sample_rate: float = Field(default=0.0, ge=0, le=1, alias=FEATURE_LOG_SAMPLE_RATE_ENV_VAR)
    feature_log_max_bytes: int = Field(default=10_000_000, gt=0, alias=FEATURE_LOG_MAX_BYTES_ENV_VAR)
{%- endif %}
{%- if cookiecutter.experiment_tracking == "mlflow" %}

    # Unset: the embedded store mlruns.db in the project. A URL may carry credentials, hence secret.
    mlflow_tracking_uri: SecretStr | None = Field(default=None, alias=MLFLOW_TRACKING_URI_ENV_VAR)
{%- endif %}


def load_environment(project_root: Path) -> Environment:
    """Read the project's .env (if any) into the environment, then the variables the project knows."""
    load_dotenv(project_root / ".env", override=False)
    return Environment()
