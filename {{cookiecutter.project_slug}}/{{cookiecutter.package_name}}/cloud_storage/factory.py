"""Builds the model registry for the configured artifact storage."""

from __future__ import annotations

from pathlib import Path

from {{ cookiecutter.package_name }}.cloud_storage.model_registry import LocalModelRegistry
{%- if cookiecutter.artifact_storage == "s3" %}
from {{ cookiecutter.package_name }}.cloud_storage.s3_storage import S3ArtifactStore, S3ModelMirror, S3Storage
from {{ cookiecutter.package_name }}.entity.config_entity import RemoteStorageConfig


def build_s3_storage(remote: RemoteStorageConfig) -> S3Storage:
    return S3Storage(remote.bucket, remote.prefix, remote.endpoint_url)


def build_model_registry(production_dir: Path, remote: RemoteStorageConfig | None) -> LocalModelRegistry:
    """Production models on the local disk, mirrored to S3 when a bucket is configured."""
    mirror = S3ModelMirror(build_s3_storage(remote)) if remote else None
    return LocalModelRegistry(production_dir, mirror)


def build_artifact_store(remote: RemoteStorageConfig) -> S3ArtifactStore:
    return S3ArtifactStore(build_s3_storage(remote))
{%- else %}


def build_model_registry(production_dir: Path) -> LocalModelRegistry:
    """Production models on the local disk."""
    return LocalModelRegistry(production_dir)
{%- endif %}
