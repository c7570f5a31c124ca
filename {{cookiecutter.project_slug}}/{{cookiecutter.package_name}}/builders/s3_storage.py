"""Builds the S3 copy of production models and run artifacts (`storage.s3` in config/config.yaml; S3 projects)."""

from __future__ import annotations

from ..cloud_storage.s3_storage import S3ArtifactStore, S3ModelMirror, S3Storage
from ..configuration.project_config import required
from ..configuration.settings import Settings


def build_s3_storage(settings: Settings) -> S3Storage:
    remote = required(settings.config.storage.s3, "storage.s3")
    return S3Storage(remote.bucket, remote.prefix, remote.endpoint_url)


def build_model_mirror(settings: Settings) -> S3ModelMirror:
    return S3ModelMirror(build_s3_storage(settings))


def build_artifact_store(settings: Settings) -> S3ArtifactStore:
    return S3ArtifactStore(build_s3_storage(settings))
