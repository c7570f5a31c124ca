"""Training started over HTTP: in a background thread, one run at a time, with a status per run id."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from ..configuration import Settings
from ..exception import PipelineError
from ..logger import get_logger, log_traceback
from ..registry.model_registry import ModelRegistry
from ..utils.redaction import redact
from ..utils.run_id import new_run_id

logger = get_logger(__name__)


@dataclass
class TrainingJob:
    run_id: str
    status: str = "running"
    details: dict[str, Any] = field(default_factory=dict)


class TrainingJobs:
    def __init__(self, settings: Settings, registry: ModelRegistry) -> None:
        self.settings = settings
        self.registry = registry
        self._lock = threading.Lock()
        self._jobs: dict[str, TrainingJob] = {}

    def running(self) -> TrainingJob | None:
        return next((job for job in self._jobs.values() if job.status == "running"), None)

    def start(self) -> TrainingJob | None:
        """Start a run and return it, or return None when one is already running."""
        with self._lock:
            if self.running() is not None:
                return None
            job = TrainingJob(run_id=new_run_id())
            self._jobs[job.run_id] = job
        threading.Thread(target=self._run, args=(job,), name=f"train-{job.run_id}", daemon=True).start()
        return job

    def get(self, run_id: str) -> TrainingJob | None:
        return self._jobs.get(run_id)

    def _run(self, job: TrainingJob) -> None:
        # Imported when a run starts: serving never needs the training code.
        from ..pipeline.training_pipeline import TrainingPipeline

        try:
            result = TrainingPipeline(self.settings, self.registry, run_id=job.run_id).run()
        except Exception as error:  # reported through GET /train/{run_id} and the log, never raised into the server
            message = error.message if isinstance(error, PipelineError) else f"{type(error).__name__}: {error}"
            job.details = {"error": redact(" ".join(message.split()))}
            logger.error("training run %s failed: %s", job.run_id, job.details["error"])
            log_traceback(f"training run {job.run_id} failed", error)
            job.status = "failed"  # last: whoever polls the status finds the log written
            return
        job.details = {"promoted": result.promoted, "version": result.version, "reason": result.reason}
        job.status = "succeeded"
