"""Builds the model registry for the configured artifact storage: the one place that does."""

from __future__ import annotations

from ..configuration.project_config import required
from ..configuration.settings import Settings
from ..constants.answers import S3_STORAGE
from ..registry.model_registry import ModelRegistry

if S3_STORAGE:
    from ..cloud_storage.factory import build_s3_storage
    from ..cloud_storage.s3_storage import S3ModelMirror


def build_model_registry(settings: Settings) -> ModelRegistry:
    """Production models on the local disk, mirrored to the S3 bucket of config.yaml when the project has one."""
    production_dir = settings.path(settings.config.storage.production_dir)
    if S3_STORAGE:
        remote = required(settings.config.storage.s3, "storage.s3")
        return ModelRegistry(production_dir, S3ModelMirror(build_s3_storage(remote)))
    return ModelRegistry(production_dir)
