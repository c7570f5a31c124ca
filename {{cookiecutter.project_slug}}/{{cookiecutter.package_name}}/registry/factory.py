"""Builds the model registry for the configured artifact storage: the one place that does."""

from __future__ import annotations

{% if cookiecutter.artifact_storage == "s3" -%}
from ..cloud_storage.factory import build_s3_storage
from ..cloud_storage.s3_storage import S3ModelMirror
{% endif -%}
from ..configuration import Settings
from .model_registry import ModelRegistry


def build_model_registry(settings: Settings) -> ModelRegistry:
{%- if cookiecutter.artifact_storage == "s3" %}
    """Production models on the local disk, mirrored to the S3 bucket of config.yaml."""
    mirror = S3ModelMirror(build_s3_storage(settings.config.storage.s3.entity()))
    return ModelRegistry(settings.path(settings.config.storage.production_dir), mirror)
{%- else %}
    """Production models on the local disk."""
    return ModelRegistry(settings.path(settings.config.storage.production_dir))
{%- endif %}
