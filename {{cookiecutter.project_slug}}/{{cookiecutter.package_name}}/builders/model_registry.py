"""Builds the model registry for the configured artifact storage: the one place that does."""

from __future__ import annotations

from ..configuration.settings import Settings
from ..constants.answers import S3_STORAGE
from ..registry.model_registry import ModelRegistry

if S3_STORAGE:
    from .s3_storage import build_model_mirror


def build_model_registry(settings: Settings) -> ModelRegistry:
    """Production models on the local disk, mirrored to the S3 bucket of config.yaml when the project has one."""
    production_dir = settings.path(settings.config.storage.production_dir)
    if S3_STORAGE:
        return ModelRegistry(production_dir, build_model_mirror(settings))
    return ModelRegistry(production_dir)
