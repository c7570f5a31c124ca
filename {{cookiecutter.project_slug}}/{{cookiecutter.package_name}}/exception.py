"""Errors of the project: each one says what went wrong and where it started, and maps to an exit code."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

_PACKAGE_PARENT = Path(__file__).resolve().parent.parent


class PipelineError(Exception):
    """Base error. Raise it with `from` so the message can name the line where the problem started."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def origin(self) -> str:
        """File, line and function where the chain of causes began."""
        root: BaseException = self
        while root.__cause__ is not None:
            root = root.__cause__
        return _describe_frame(root.__traceback__)

    def __str__(self) -> str:
        return f"{self.message} (started at {self.origin})"


class ConfigError(PipelineError):
    """A configuration file or environment variable is missing or wrong."""

    exit_code = 2


class InputError(PipelineError):
    """Input given by the user (a file, a column, an argument) cannot be used."""

    exit_code = 2


class DataValidationError(PipelineError):
    """The training data failed a validation gate; nothing was trained or promoted."""


class ModelNotFoundError(PipelineError):
    """No production model exists yet, or the requested version is unknown."""


class StorageError(PipelineError):
    """Artifacts or models could not be read or written."""


def _describe_frame(traceback: TracebackType | None) -> str:
    if traceback is None:
        return "unknown location"
    while traceback.tb_next is not None:
        traceback = traceback.tb_next
    code = traceback.tb_frame.f_code
    path = Path(code.co_filename)
    try:
        shown = path.resolve().relative_to(_PACKAGE_PARENT).as_posix()
    except ValueError:
        shown = path.name
    return f"{shown}:{traceback.tb_lineno} in {code.co_name}"
