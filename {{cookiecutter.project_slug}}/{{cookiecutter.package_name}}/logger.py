"""Logging set up from config/logging_config.yaml, once per process, when a command starts."""

from __future__ import annotations

import logging
import logging.config
from pathlib import Path

from {{ cookiecutter.package_name }}.constants import CONFIG_DIR, LOGGING_CONFIG_FILE
from {{ cookiecutter.package_name }}.utils.files import read_yaml


def configure_logging(project_root: Path, level: str | None = None) -> None:
    """Apply the logging config; log file paths in it are relative to the project root."""
    config = read_yaml(project_root / CONFIG_DIR / LOGGING_CONFIG_FILE)
    for handler in config.get("handlers", {}).values():
        if "filename" in handler:
            log_file = project_root / handler["filename"]
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler["filename"] = str(log_file)
    logging.config.dictConfig(config)
    if level:
        logging.getLogger("{{ cookiecutter.package_name }}").setLevel(level.upper())


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)
