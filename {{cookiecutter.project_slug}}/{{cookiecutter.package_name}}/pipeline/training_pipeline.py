"""Runs the seven steps in order: extraction, validation, preparation, training, evaluation, gate, push."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..builders.data_source import build_data_source
from ..builders.tracker import build_tracker
from ..components.data_ingestion import DataIngestion
from ..components.data_transformation import DataTransformation
from ..components.data_validation import DataValidation
from ..components.model_evaluation import ModelEvaluation
from ..components.model_pusher import ModelPusher
from ..components.model_trainer import ModelTrainer
from ..configuration.settings import Settings
from ..constants import (
    ARTIFACT_FILE,
    DATA_INGESTION,
    DATA_TRANSFORMATION,
    DATA_VALIDATION,
    MODEL_EVALUATION,
    MODEL_PUSHER,
    MODEL_TRAINER,
)
from ..constants.answers import S3_STORAGE
from ..exception import PipelineError, StorageError
from ..logger import get_logger
from ..registry.model_registry import ModelRegistry
from ..reports.run_summary import StepRecord
from ..tracking import Tracker
from ..utils.files import (
    STALE_TEMPORARY_SECONDS,
    remove_leftovers,
    write_json,
)
from ..utils.progress import STEP_COUNTER, progress_bar
from ..utils.run_id import new_run_id
from .run_report import RunOutputs, write_run_report
from .training_config import TrainingConfiguration

if TYPE_CHECKING:
    from tqdm import tqdm

logger = get_logger(__name__)


class Summarized(Protocol):
    """What every component's artifact entity offers: one line for the log and the run summary."""

    def summary(self) -> str: ...


Artifact = TypeVar("Artifact", bound=Summarized)
STEPS = (DATA_INGESTION, DATA_VALIDATION, DATA_TRANSFORMATION, MODEL_TRAINER, MODEL_EVALUATION, MODEL_PUSHER)


@dataclass(frozen=True)
class TrainingResult:
    run_id: str
    artifact_dir: Path
    promoted: bool
    version: str | None
    reason: str
    metric: str
    score: float
    seconds: float
    # The run's page (report.html): None when it could not be written.
    report: Path | None = None

    def summary(self) -> str:
        outcome = f"promoted as {self.version}" if self.promoted else "not promoted"
        return (
            f"run {self.run_id} finished in {self.seconds:.1f}s, {self.metric}={self.score:.4f}: "
            f"{outcome} ({self.reason})"
        )


class TrainingPipeline:
    def __init__(
        self,
        settings: Settings,
        registry: ModelRegistry,
        run_id: str | None = None,
        tracker: Tracker | None = None,
        show_progress: bool = False,
    ) -> None:
        """`show_progress`: a step counter on stderr when it is a terminal (the command line; not the server)."""
        self.settings = settings
        self.registry = registry
        self.run_id = run_id or new_run_id()
        self.tracker = tracker or build_tracker(settings)
        self.show_progress = show_progress
        self.steps: list[StepRecord] = []
        self._progress: tqdm[Any] | None = None

    def run(self) -> TrainingResult:
        """All steps, reported to the experiment tracker as one run."""
        try:
            self.tracker.check()  # a tracker that is down fails the run now, not after the training
        except PipelineError as exc:
            raise StorageError(f"{exc.message}; nothing was trained or promoted") from exc
        self.registry.sync_from_mirror()
        configuration = TrainingConfiguration(self.settings, self.run_id, production=self.registry.current())
        self.artifact_dir = configuration.pipeline.artifact_dir
        with self.tracker.run(self.run_id, self.artifact_dir):
            if not self.show_progress:
                return self._run_steps(configuration)
            with progress_bar("train", total=len(STEPS), layout=STEP_COUNTER) as self._progress:
                return self._run_steps(configuration)

    def _run_steps(self, configuration: TrainingConfiguration) -> TrainingResult:
        started = time.perf_counter()
        logger.info("run %s: artifacts in %s", self.run_id, self.artifact_dir)
        self._remove_partial_files_of_killed_runs()

        source = build_data_source(self.settings)
        ingestion = self._step(DATA_INGESTION, DataIngestion(configuration.data_ingestion(), source).run)
        validation = self._step(DATA_VALIDATION, DataValidation(configuration.data_validation(), ingestion).run)
        transformation = self._step(
            DATA_TRANSFORMATION, DataTransformation(configuration.data_transformation(), validation).run
        )
        trainer = self._step(MODEL_TRAINER, ModelTrainer(configuration.model_trainer(), transformation).run)
        evaluation = self._step(
            MODEL_EVALUATION, ModelEvaluation(configuration.model_evaluation(), validation, trainer).run
        )
        version, reason = None, evaluation.reason
        if evaluation.accepted:
            evaluator = ModelEvaluation(configuration.model_evaluation(), validation, trainer)
            pusher_config = configuration.model_pusher()
            steps = (ingestion, validation, trainer, evaluation)
            pusher = ModelPusher(pusher_config, self.registry, *steps, regate=evaluator.regate)
            pushed = self._step(MODEL_PUSHER, pusher.run)
            version, reason = pushed.version, pushed.rejected_reason or reason
            if version is None:
                logger.warning("model validation gate, run again: %s; production model left as it is", reason)
        else:
            logger.warning("model validation gate: %s; production model left as it is", evaluation.reason)
        outputs = RunOutputs(self.run_id, ingestion, validation, trainer, evaluation, version, reason, list(self.steps))
        reference = configuration.data_validation().reference_profile_path
        report = write_run_report(self.settings, self.artifact_dir, outputs, reference)
        self._upload_artifacts(version)
        return TrainingResult(
            run_id=self.run_id,
            artifact_dir=self.artifact_dir,
            promoted=version is not None,
            version=version,
            reason=reason,
            metric=evaluation.metric,
            score=evaluation.candidate_metrics[evaluation.metric],
            seconds=time.perf_counter() - started,
            report=report,
        )

    def _upload_artifacts(self, version: str | None) -> None:
        """Copy the run's artifacts to S3 (S3 projects only); a failure fails the run, saying what was promoted."""
        if S3_STORAGE:
            from ..builders.s3_storage import build_artifact_store

            try:
                copied = build_artifact_store(self.settings).sync_run(self.artifact_dir)
            except PipelineError as exc:
                promoted = f"model {version} was promoted, but " if version else ""
                raise PipelineError(f"{promoted}uploading the run's artifacts failed: {exc.message}") from exc
            logger.info("artifacts uploaded: %s", copied)

    def _remove_partial_files_of_killed_runs(self) -> None:
        """Temporary files a killed run left in artifacts/ and models/experiments/; recent ones may be a live run's."""
        storage = self.settings.config.storage
        for directory, pattern in ((storage.artifacts_dir, "*/*/.*.tmp"), (storage.experiments_dir, "*/.*.tmp")):
            removed = remove_leftovers(self.settings.path(directory), [pattern], STALE_TEMPORARY_SECONDS)
            if removed:
                logger.warning("removed %d partial files of killed runs from %s", len(removed), directory)

    def _step(self, name: str, run: Callable[[], Artifact]) -> Artifact:
        """Run one component, save its artifact entity as JSON and log its duration and summary."""
        logger.info("%s: started", name)
        if self._progress is not None:
            self._progress.set_description_str(name)
        started = time.perf_counter()
        try:
            artifact = run()
        except PipelineError:
            raise
        except Exception as exc:
            raise PipelineError(f"{name} failed: {type(exc).__name__}: {exc}") from exc
        write_json(self.artifact_dir / name / ARTIFACT_FILE, artifact)
        seconds = time.perf_counter() - started
        logger.info("%s: done in %.2fs: %s", name, seconds, artifact.summary())
        try:
            self.tracker.log_step(name, seconds, artifact)
        except PipelineError:
            raise
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            version = getattr(artifact, "version", None) if name == MODEL_PUSHER else None
            done = f" ({version} was promoted all the same)" if version else ""
            raise PipelineError(f"{name}: recording it in the experiment tracker failed{done}: {reason}") from exc
        self.steps.append(StepRecord(name, seconds, artifact.summary()))
        if self._progress is not None:
            self._progress.update()
        return artifact
