"""The project's settings: config/*.yaml validated into typed objects, found from the project root, never the
working directory. Any problem stops the command here, before a pipeline step runs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..constants import (
    CONFIG_DIR,
    CONFIG_FILE,
    HOME_ENV_VAR,
    MODEL_CONFIG_FILE,
    SCHEMA_FILE,
)
from ..entity.data_schema import DataSchema
from ..exception import ConfigError
from ..utils.files import read_yaml_mapping
from .environment import Environment, load_environment
from .model_config import ModelConfig
from .project_config import ProjectConfig
from .schema import SchemaFile, labels_as_written
from .validation import Model, validate_settings


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know, validated once."""

    project_root: Path
    config: ProjectConfig
    model: ModelConfig
    schema: DataSchema
    environment: Environment

    def path(self, relative: Path | str) -> Path:
        """Resolve a path from the config against the project root."""
        candidate = Path(relative).expanduser()
        return candidate if candidate.is_absolute() else self.project_root / candidate


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
    """Read and validate config.yaml, model_config.yaml, schema.yaml and the environment (with .env)."""
    root = project_root or find_project_root()
    return Settings(
        project_root=root,
        config=_load(root, CONFIG_FILE, ProjectConfig),
        model=_load(root, MODEL_CONFIG_FILE, ModelConfig),
        schema=_load_schema(root),
        environment=load_environment(root),
    )


def _load(root: Path, name: str, model: type[Model]) -> Model:
    shown = f"{CONFIG_DIR}/{name}"
    return validate_settings(model, read_yaml_mapping(root / CONFIG_DIR / name, shown), shown)


def _load_schema(root: Path) -> DataSchema:
    """schema.yaml, its labels as the file spells them (an unquoted `True` is the label `True`, not a boolean)."""
    shown, path = f"{CONFIG_DIR}/{SCHEMA_FILE}", root / CONFIG_DIR / SCHEMA_FILE
    content = labels_as_written(read_yaml_mapping(path, shown), path.read_text(encoding="utf-8"))
    return validate_settings(SchemaFile, content, shown).entity()
