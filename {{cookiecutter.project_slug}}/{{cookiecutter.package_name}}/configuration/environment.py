"""Environment variables, with a project .env file as a fallback for local development.

Secrets (connection strings, keys) only ever come from here, never from config/*.yaml.
"""

from __future__ import annotations

import os
from pathlib import Path

from {{ cookiecutter.package_name }}.exception import ConfigError


def load_dotenv(path: Path) -> None:
    """Copy KEY=VALUE lines of a .env file into os.environ; variables already set win."""
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, separator, value = line.removeprefix("export ").partition("=")
        if not separator or not key.strip():
            raise ConfigError(f"{path.name} line {number} is not KEY=VALUE")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def required_env(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is not set: {hint} (see .env.example)")
    return value
