"""The production model as the server sees it: reloaded as soon as a new version becomes current.

A version that cannot be loaded never replaces the model being served: the failure is logged, reported by
`readiness()` (GET /ready) and retried every `retry_seconds`.
{%- if cookiecutter.artifact_storage == "s3" %}
The bucket's CURRENT is polled every `retry_seconds` too, so a promotion made on another machine reaches
this server.
{%- endif %}
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from {{ cookiecutter.package_name }}.exception import PipelineError
from {{ cookiecutter.package_name }}.ml.model import SensorModel
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry, ProductionModel

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadFailure:
    version: str
    reason: str
    at: float


class ModelCache:
    def __init__(self, registry: ModelRegistry, retry_seconds: float = 30.0) -> None:
        self.registry = registry
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._loaded: tuple[ProductionModel, SensorModel] | None = None
        self.failure: LoadFailure | None = None
        self._polled_at = float("-inf")

    def get(self) -> tuple[ProductionModel, SensorModel] | None:
        """The model to serve: the current one, or the last one that loaded if the current one cannot be."""
        with self._lock:
            version = self._current_version()
            if version is None:
                self._loaded = None
            elif self._loaded is not None and self._loaded[0].version == version:
                self.failure = None
            elif self._loaded is None or self._loaded[0].version != version:
                self._load(version)
            return self._loaded

    def readiness(self) -> tuple[bool, str]:
        """Ready when a model is served; the reason names what is served and any version that failed to load."""
        loaded = self.get()
        failure = self.failure
        problem = f"production model {failure.version} cannot be loaded ({failure.reason})" if failure else ""
        if loaded is None:
            return False, problem or "no production model yet: train one first"
        if problem:
            return True, f"serving {loaded[0].version}; {problem}; retrying every {self.retry_seconds:g}s"
        return True, f"serving {loaded[0].version}"

    def _current_version(self) -> str | None:
{%- if cookiecutter.artifact_storage == "s3" %}
        now = time.monotonic()
        if now - self._polled_at >= self.retry_seconds or self.registry.current_version() is None:
            self._polled_at = now
            try:
                self.registry.sync_from_mirror()
            except PipelineError as error:
                logger.error("cannot read the remote production model: %s", error.message)
{%- endif %}
        return self.registry.current_version()

    def _load(self, version: str) -> None:
        failure = self.failure
        if failure and failure.version == version and time.monotonic() - failure.at < self.retry_seconds:
            return
        try:
            production = self.registry.get(version)
            model = SensorModel.load(production.model_path)
        except Exception as error:  # whatever is wrong with the new file, the model being served stays
            reason = error.message if isinstance(error, PipelineError) else f"{type(error).__name__}: {error}"
            self.failure = LoadFailure(version, reason, time.monotonic())
            kept = f"still serving {self._loaded[0].version}" if self._loaded else "no model to serve"
            logger.error("production model %s cannot be loaded: %s; %s", version, reason, kept)
            return
        if failure is not None:
            logger.info("production model %s loaded", version)
        self._loaded, self.failure = (production, model), None
