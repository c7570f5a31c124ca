"""Training started over HTTP: in a background thread, one run at a time, with a status per run id."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from ..configuration import Settings
from ..registry.model_registry import ModelRegistry
from ..utils.run_id import new_run_id


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
        except Exception as error:  # reported through GET /train/{run_id}, never raised into the server
            job.details = {"error": str(error)}
            job.status = "failed"
            return
        job.details = {"promoted": result.promoted, "version": result.version, "reason": result.reason}
        job.status = "succeeded"
