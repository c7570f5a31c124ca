"""Logging set up from config/logging_config.yaml, once per process, when a command starts."""

from __future__ import annotations

import logging
import logging.config
from pathlib import Path

from .constants import CONFIG_DIR, LOGGING_CONFIG_FILE
from .exception import ConfigError
from .utils.files import read_yaml_mapping

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def configure_logging(project_root: Path, level: str | None = None) -> None:
    """Apply the logging config; log file paths in it are relative to the project root."""
    shown = f"{CONFIG_DIR}/{LOGGING_CONFIG_FILE}"
    config = read_yaml_mapping(project_root / CONFIG_DIR / LOGGING_CONFIG_FILE, shown)
    handlers = config.get("handlers") or {}
    for handler in handlers.values() if isinstance(handlers, dict) else ():
        if isinstance(handler, dict) and "filename" in handler:
            log_file = project_root / str(handler["filename"])
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handler["filename"] = str(log_file)
    try:
        logging.config.dictConfig(config)
    except (ValueError, TypeError, AttributeError, ImportError) as exc:
        raise ConfigError(f"{shown} is not a valid logging configuration: {exc}") from None
    if level:
        logging.getLogger("{{ cookiecutter.package_name }}").setLevel(level)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)
