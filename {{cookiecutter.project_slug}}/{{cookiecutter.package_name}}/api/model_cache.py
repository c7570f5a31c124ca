"""The production model as the server sees it: reloaded as soon as a new version becomes current.

It is held as a predictor: onnxruntime when the version has a checked model.onnx, scikit-learn otherwise.
A version that cannot be loaded never replaces the model being served: the failure is logged, reported by
`readiness()` (GET /ready) and retried every `retry_seconds`; so does a CURRENT that cannot be read.
In a project with S3 storage, the bucket's CURRENT is polled every `retry_seconds` too, so a promotion made on
another machine reaches this server.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..constants import ONNX_MODEL_FILE
from ..constants.answers import S3_STORAGE
from ..exception import PipelineError
from ..inference.fast_predictor import Predictor, load_predictor
from ..inference.model import TabularModel
from ..registry.model_registry import ModelRegistry, ProductionModel
from ..reports.last_run import no_production_model

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadFailure:
    version: str
    reason: str
    at: float


class ModelCache:
    def __init__(self, registry: ModelRegistry, retry_seconds: float = 30.0, artifacts_dir: Path | None = None) -> None:
        """`artifacts_dir`: where the runs are, to say why the last one left no production model."""
        self.registry = registry
        self.artifacts_dir = artifacts_dir
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._loaded: tuple[ProductionModel, Predictor] | None = None
        self.failure: LoadFailure | None = None
        self._polled_at = float("-inf")  # the last look at CURRENT; -inf: look at the first request
        self._unreadable: str | None = None  # why CURRENT cannot be read, logged once

    def get(self) -> tuple[ProductionModel, Predictor] | None:
        """The model to serve: the current one, or the last one that loaded if the current one cannot be."""
        with self._lock:
            version = self._current_version()
            if version is None:
                self._loaded = None
            elif self._loaded is not None and self._loaded[0].version == version:
                self.failure = None
            else:
                self._load(version)
            return self._loaded

    def loaded_if_current(self) -> tuple[ProductionModel, Predictor] | None:
        """The loaded model while it is still the current version: one small file read, never a model load."""
        loaded = self._loaded
        if loaded is None or self._poll_due():
            return None
        return loaded if self.current_version() == loaded[0].version else None

    def readiness(self) -> tuple[bool, str]:
        """Ready when a model is served; the reason names what is served and any version that failed to load."""
        loaded = self.get()
        failure = self.failure
        problem = f"production model {failure.version} cannot be loaded ({failure.reason})" if failure else ""
        problem = problem or self._unreadable or ""
        if loaded is None:
            return False, problem or no_production_model(self.artifacts_dir)
        if problem:
            return True, f"serving {loaded[0].version}; {problem}; retrying every {self.retry_seconds:g}s"
        return True, f"serving {loaded[0].version}"

    def current_version(self) -> str | None:
        """The version CURRENT names; while it cannot be read, the version being served (the reason logged once)."""
        try:
            version = self.registry.current_version()
        except PipelineError as error:
            if error.message != self._unreadable:
                kept = f"still serving {self._loaded[0].version}" if self._loaded else "no model to serve"
                logger.error("%s; %s", error.message, kept)
            self._unreadable = error.message
            return self._loaded[0].version if self._loaded else None
        self._unreadable = None
        return version

    def _poll_due(self) -> bool:
        """Whether the remote CURRENT is due to be read again (never, with local storage only)."""
        return S3_STORAGE and time.monotonic() - self._polled_at >= self.retry_seconds

    def _current_version(self) -> str | None:
        if S3_STORAGE and (self._poll_due() or self.current_version() is None):
            self._polled_at = time.monotonic()
            try:
                self.registry.sync_from_mirror()
            except PipelineError as error:
                logger.error("cannot read the remote production model: %s", error.message)
        return self.current_version()

    def _load(self, version: str) -> None:
        failure = self.failure
        if failure and failure.version == version and time.monotonic() - failure.at < self.retry_seconds:
            return
        try:
            production = self.registry.get(version)
            model = TabularModel.load(production.model_path)
            predictor = load_predictor(model, production.directory / ONNX_MODEL_FILE)
        except Exception as error:  # whatever is wrong with the new file, the model being served stays
            reason = error.message if isinstance(error, PipelineError) else f"{type(error).__name__}: {error}"
            self.failure = LoadFailure(version, reason, time.monotonic())
            kept = f"still serving {self._loaded[0].version}" if self._loaded else "no model to serve"
            logger.error("production model %s cannot be loaded: %s; %s", version, reason, kept)
            return
        if failure is not None:
            logger.info("production model %s loaded", version)
        self._loaded, self.failure = (production, predictor), None
        _exempt_from_garbage_collection()


def _exempt_from_garbage_collection() -> None:
    """Move everything loaded so far (libraries, the model) out of the collector's reach.

    A full collection walks every object of the process: with scikit-learn, pandas and onnxruntime loaded, that
    pause, every few thousand requests, set the p99 latency. After a freeze it walks only what requests create.
    What an earlier freeze kept is unfrozen first, so the garbage of a replaced model is collected, not kept.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
