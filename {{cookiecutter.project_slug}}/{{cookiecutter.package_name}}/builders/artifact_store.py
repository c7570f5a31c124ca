"""Builds the S3 copy of run artifacts (`storage.s3` in config/config.yaml)."""

from __future__ import annotations

from ..cloud_storage.factory import build_artifact_store as build_s3_artifact_store
from ..cloud_storage.s3_storage import S3ArtifactStore
from ..configuration.project_config import required
from ..configuration.settings import Settings


def build_artifact_store(settings: Settings) -> S3ArtifactStore:
    return build_s3_artifact_store(required(settings.config.storage.s3, "storage.s3"))
