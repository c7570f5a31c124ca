"""Where artifacts and production models are kept, read from the `storage` section of config/config.yaml."""

from __future__ import annotations

from {{ cookiecutter.package_name }}.cloud_storage.factory import build_model_registry
from {{ cookiecutter.package_name }}.cloud_storage.model_registry import LocalModelRegistry
from {{ cookiecutter.package_name }}.configuration.settings import Settings
{%- if cookiecutter.artifact_storage == "s3" %}
from {{ cookiecutter.package_name }}.entity.config_entity import RemoteStorageConfig
from {{ cookiecutter.package_name }}.exception import ConfigError


def remote_storage_config(settings: Settings) -> RemoteStorageConfig:
    options = settings.section("storage").get("s3") or {}
    if not options.get("bucket"):
        raise ConfigError("config/config.yaml: storage.s3.bucket is required")
    return RemoteStorageConfig(
        bucket=str(options["bucket"]),
        prefix=str(options.get("prefix") or ""),
        endpoint_url=options.get("endpoint_url") or None,
    )


def production_registry(settings: Settings) -> LocalModelRegistry:
    production_dir = settings.path(settings.section("storage")["production_dir"])
    return build_model_registry(production_dir, remote_storage_config(settings))
{%- else %}


def production_registry(settings: Settings) -> LocalModelRegistry:
    return build_model_registry(settings.path(settings.section("storage")["production_dir"]))
{%- endif %}
