"""Logging set up from config/logging_config.yaml, once per process, when a command starts."""

from __future__ import annotations

import contextlib
import logging
import logging.config
import sys
import time
import traceback
from pathlib import Path

from .constants import CONFIG_DIR, LOGGING_CONFIG_FILE, PACKAGE_NAME
from .exception import ConfigError
from .utils.files import read_yaml_mapping
from .utils.redaction import redact

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# A handler that cannot write (a full disk) says so on stderr at most this often, in one line.
HANDLER_WARNING_SECONDS = 60.0


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
        logging.getLogger(PACKAGE_NAME).setLevel(level)
    for name in (PACKAGE_NAME, "uvicorn"):
        for handler in logging.getLogger(name).handlers:
            _one_line_on_failure(handler)


def _one_line_on_failure(handler: logging.Handler) -> None:
    """Replace logging's "--- Logging error ---" traceback per lost record by one line a minute on stderr."""
    warned_at = [float("-inf")]

    def report(record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        now = time.monotonic()
        if now - warned_at[0] < HANDLER_WARNING_SECONDS:
            return
        warned_at[0] = now
        where = getattr(handler, "baseFilename", type(handler).__name__)
        reason = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
        with contextlib.suppress(OSError, ValueError):  # stderr itself is gone: nothing else can be told
            sys.stderr.write(f"warning: log lines are not written to {where} ({reason})\n")

    handler.handleError = report  # type: ignore[method-assign]


def log_traceback(message: str, error: BaseException) -> None:
    """`message` and the whole traceback of `error`, credentials masked, into the log files only: the terminal
    shows an error in one line, the log file keeps where it came from."""
    package = logging.getLogger(PACKAGE_NAME)
    record = package.makeRecord(PACKAGE_NAME, logging.ERROR, __file__, 0, redact(message), (), None)
    record.exc_text = redact("".join(traceback.format_exception(type(error), error, error.__traceback__))).rstrip()
    for handler in package.handlers:
        if isinstance(handler, logging.FileHandler) and record.levelno >= handler.level:
            handler.handle(record)


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)
