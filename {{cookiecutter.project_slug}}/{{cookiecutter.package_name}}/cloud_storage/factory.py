"""Builds the S3 transfer objects from the remote storage entity."""

from __future__ import annotations

from .s3_storage import S3ArtifactStore, S3Storage
from ..entity.config_entity import RemoteStorageConfig


def build_s3_storage(remote: RemoteStorageConfig) -> S3Storage:
    return S3Storage(remote.bucket, remote.prefix, remote.endpoint_url)


def build_artifact_store(remote: RemoteStorageConfig) -> S3ArtifactStore:
    return S3ArtifactStore(build_s3_storage(remote))
