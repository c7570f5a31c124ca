"""The project's settings: the YAML files under config/, found from the project root, never the working directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from {{ cookiecutter.package_name }}.configuration.environment import load_dotenv
from {{ cookiecutter.package_name }}.constants import (
    CONFIG_DIR,
    CONFIG_FILE,
    HOME_ENV_VAR,
    MODEL_CONFIG_FILE,
    SCHEMA_FILE,
)
from {{ cookiecutter.package_name }}.entity.config_entity import DataSchema
from {{ cookiecutter.package_name }}.exception import ConfigError
from {{ cookiecutter.package_name }}.utils.files import read_yaml


@dataclass(frozen=True)
class Settings:
    project_root: Path
    config: dict[str, Any]
    model: dict[str, Any]
    schema: DataSchema

    def path(self, relative: str) -> Path:
        """Resolve a path from the config against the project root."""
        candidate = Path(relative).expanduser()
        return candidate if candidate.is_absolute() else self.project_root / candidate

    def section(self, name: str) -> dict[str, Any]:
        value = self.config.get(name)
        if not isinstance(value, dict):
            raise ConfigError(f"config/{CONFIG_FILE} has no '{name}' section")
        return value


def find_project_root() -> Path:
    """The directory holding config/config.yaml: ${HOME_ENV_VAR} if set, else the package's parent."""
    override = os.environ.get(HOME_ENV_VAR)
    if override:
        root = Path(override).expanduser().resolve()
        if not (root / CONFIG_DIR / CONFIG_FILE).is_file():
            raise ConfigError(f"{HOME_ENV_VAR}={override} has no {CONFIG_DIR}/{CONFIG_FILE}")
        return root
    root = Path(__file__).resolve().parents[2]
    if not (root / CONFIG_DIR / CONFIG_FILE).is_file():
        raise ConfigError(f"cannot find {CONFIG_DIR}/{CONFIG_FILE}; set {HOME_ENV_VAR} to the project directory")
    return root


def load_settings(project_root: Path | None = None) -> Settings:
    root = project_root or find_project_root()
    load_dotenv(root / ".env")
    config_dir = root / CONFIG_DIR
    try:
        config = read_yaml(config_dir / CONFIG_FILE)
        model = read_yaml(config_dir / MODEL_CONFIG_FILE)
        schema = read_yaml(config_dir / SCHEMA_FILE)
    except FileNotFoundError as exc:
        raise ConfigError(f"missing configuration file {Path(exc.filename).name} in {CONFIG_DIR}/") from exc
    return Settings(project_root=root, config=config, model=model, schema=parse_schema(schema))


def parse_schema(raw: dict[str, Any]) -> DataSchema:
    """Build the schema entity, naming the key that is missing or wrong."""
    try:
        target = raw["target"]
        columns = tuple(raw["columns"])
        schema = DataSchema(
            target=str(target["column"]),
            positive_label=str(target["positive"]),
            negative_label=str(target["negative"]),
            columns=columns,
            drop_columns=tuple(raw.get("drop_columns") or ()),
            missing_values=tuple(str(value) for value in raw.get("missing_values") or ()),
        )
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"config/{SCHEMA_FILE} lacks or misshapes the key {exc}") from exc
    unknown = sorted(set(schema.drop_columns) - set(columns))
    if unknown:
        raise ConfigError(f"config/{SCHEMA_FILE}: drop_columns not listed under columns: {', '.join(unknown)}")
    if not schema.feature_columns:
        raise ConfigError(f"config/{SCHEMA_FILE} leaves no feature columns")
    return schema
