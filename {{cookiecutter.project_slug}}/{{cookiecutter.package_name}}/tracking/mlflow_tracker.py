"""MLflow tracking: every `train` is an MLflow run, every promoted version a registered model version.

The project's registry (models/production/) stays what `predict` and `serve` read; the MLflow alias `production`
follows it. The store is MLFLOW_TRACKING_URI when set, else an embedded one in the project: mlruns.db (SQLite)
and mlartifacts/.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import joblib
import mlflow
import mlflow.pyfunc
from mlflow import MlflowClient
from mlflow.environment_variables import (
    MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR,
    MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR,
    MLFLOW_HTTP_REQUEST_MAX_RETRIES,
    MLFLOW_HTTP_REQUEST_TIMEOUT,
)
from mlflow.exceptions import MlflowException

from ..configuration import Settings
from ..constants import DISTRIBUTION_NAME, MLFLOW_TRACKING_URI_ENV_VAR, PACKAGE_NAME
from ..entity.artifact_entity import (
    DataIngestionArtifact,
    DataValidationArtifact,
    ModelPusherArtifact,
    ModelTrainerArtifact,
)
from ..exception import ConfigError, PipelineError, StorageError
from ..logger import get_logger
from ..utils.frames import read_csv_file
from ..utils.redaction import PERCENT_ENCODING_HINT, redact
from .pyfunc_model import (
    MODEL_ARTIFACT,
    SavedModel,
    model_signature,
)
from .tracker import Tracker

logger = get_logger(__name__)

EXPERIMENT_NAME = PACKAGE_NAME
REGISTERED_MODEL_NAME = PACKAGE_NAME
PRODUCTION_ALIAS = "production"
# Tag of a registered model version: the project registry's version (vNNNN) it is a copy of.
PROJECT_VERSION_TAG = "project_version"
EMBEDDED_STORE = "mlruns.db"
EMBEDDED_ARTIFACTS = "mlartifacts"
LOGGED_MODEL_NAME = "model"
INPUT_EXAMPLE_ROWS = 5
# Files of a run directory worth keeping in MLflow: reports and artifact entities, not data or model copies.
REPORT_SUFFIXES = {".json", ".yaml", ".html", ".png", ".md"}
# MLflow's HTTP client tries a request 8 times over about four minutes and waits up to 120 s for each answer, so a
# tracking server that is down looked like a command that hangs. These give up within seconds (4 tries, 2 and 4 s
# apart); a variable already set in the environment wins (for a server that rate-limits, say).
HTTP_LIMITS = {
    MLFLOW_HTTP_REQUEST_MAX_RETRIES: 3,
    MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR: 1,
    MLFLOW_HTTP_REQUEST_TIMEOUT: 30,
}


def tracking_uri(settings: Settings) -> str:
    """MLFLOW_TRACKING_URI when set, else the embedded SQLite store of the project."""
    configured = settings.environment.mlflow_tracking_uri
    if configured is not None and configured.get_secret_value():
        return configured.get_secret_value()
    return f"sqlite:///{(settings.project_root / EMBEDDED_STORE).as_posix()}"


def numeric_fields(prefix: str, artifact: Any) -> dict[str, float]:
    """The numbers an artifact entity holds (nested one level in dicts), as MLflow metric names and values."""
    found: dict[str, float] = {}
    for field in dataclasses.fields(artifact) if dataclasses.is_dataclass(artifact) else ():
        value = getattr(artifact, field.name)
        items = value.items() if isinstance(value, dict) else [(None, value)]
        for key, number in items:
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                name = f"{prefix}.{field.name}" + (f".{key}" if key is not None else "")
                found[name] = float(number)
    return found


class MlflowTracker(Tracker):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.uri = tracking_uri(settings)
        if self.uri.startswith(("http://", "https://")):
            for variable, value in HTTP_LIMITS.items():
                os.environ.setdefault(variable.name, str(value))
        try:
            mlflow.set_tracking_uri(self.uri)
            mlflow.set_registry_uri(self.uri)
            self.client = MlflowClient(self.uri, self.uri)
        except Exception as exc:  # a URL parser's message may quote the password: only its kind is shown
            if self.uri.startswith("sqlite:"):  # a file path, no password: what is wrong with the file helps
                raise self._unusable(exc) from exc
            raise ConfigError(
                f"{MLFLOW_TRACKING_URI_ENV_VAR} is not a usable tracking URI: {redact(self.uri)} "
                f"({type(exc).__name__}; {PERCENT_ENCODING_HINT})"
            ) from None
        self._examples_path: Path | None = None
        self._model_uri: str | None = None

    def _experiment_id(self) -> str:
        """The project's experiment, created on first use: the first request to the store, so the one that says
        when it cannot be reached."""
        try:
            experiment = self.client.get_experiment_by_name(EXPERIMENT_NAME)
            if experiment is not None:
                return experiment.experiment_id
            location = None
            if self.uri.startswith("sqlite:///") and self.uri.endswith(EMBEDDED_STORE):
                # Embedded store: artifacts inside the project, wherever the command is run from.
                location = (self.settings.project_root / EMBEDDED_ARTIFACTS).as_uri()
            return self.client.create_experiment(EXPERIMENT_NAME, artifact_location=location)
        except Exception as exc:  # MlflowException, or the database's own error (a SQLite file that is not one)
            raise self._unusable(exc) from exc

    def check(self) -> None:
        """A read, not `_experiment_id`: nothing is written to the store before production has moved."""
        try:
            self.client.get_experiment_by_name(EXPERIMENT_NAME)
        except Exception as exc:
            raise self._unusable(exc) from exc

    def _unusable(self, error: BaseException) -> StorageError:
        """One line: the store, redacted, and the first line of what went wrong, or that it does not answer."""
        store = f"the MLflow store at {redact(self.uri)}"
        if self.uri.startswith(("http://", "https://")) and _network_error(error):
            retries = os.environ.get(MLFLOW_HTTP_REQUEST_MAX_RETRIES.name, "")
            tries = f" ({int(retries) + 1} tries)" if retries.isascii() and retries.isdigit() else ""
            return StorageError(
                f"{store} cannot be reached{tries}: start it, or unset {MLFLOW_TRACKING_URI_ENV_VAR} to use "
                "the project's own store"
            )
        reason = redact(" ".join(str(error).split("\n")[0].split()))[:300]
        return StorageError(f"{store} cannot be used: {type(error).__name__}: {reason}")

    @contextmanager
    def run(self, run_id: str, artifact_dir: Path) -> Iterator[None]:
        model = self.settings.model
        params = {"estimator": model.estimator, "random_state": model.random_state}
        params |= {f"params.{name}": value for name, value in model.estimator_params.items()}
        with self._mlflow_run(run_id, artifact_dir):
            mlflow.set_tag("project_run_id", run_id)
            mlflow.log_params(params)
            yield

    @contextmanager
    def _mlflow_run(self, name: str, directory: Path) -> Iterator[None]:
        """An MLflow run that keeps the report files of `directory` when the block ends, even failed. A block that
        failed may have lost the store: its reports and the run's end are then tried once, and what goes wrong with
        them is a warning, never the error shown in place of the block's own (a step that lost the tracker)."""
        mlflow.start_run(experiment_id=self._experiment_id(), run_name=name)
        try:
            yield
        except BaseException as failure:
            try:
                self._log_reports(directory)
                mlflow.end_run("KILLED" if isinstance(failure, KeyboardInterrupt) else "FAILED")
            except Exception as exc:
                logger.warning("the MLflow run %s was left open: %s", name, self._unusable(exc).message)
            raise
        self._log_reports(directory)
        mlflow.end_run()

    def _log_reports(self, directory: Path) -> None:
        if mlflow.active_run() is not None and directory.is_dir():
            for path in sorted(directory.rglob("*")):
                if path.is_file() and path.suffix in REPORT_SUFFIXES:
                    relative = path.parent.relative_to(directory).as_posix()
                    mlflow.log_artifact(str(path), artifact_path=None if relative == "." else relative)

    def log_step(self, name: str, seconds: float, artifact: Any) -> None:
        mlflow.log_metrics({f"{name}.seconds": seconds, **numeric_fields(name, artifact)})
        if isinstance(artifact, DataIngestionArtifact):
            mlflow.log_param("data_fingerprint", artifact.data_fingerprint)
        elif isinstance(artifact, DataValidationArtifact):
            self._examples_path = artifact.test_path
        elif isinstance(artifact, ModelTrainerArtifact):
            self._log_model(artifact.model_path)
        elif isinstance(artifact, ModelPusherArtifact) and artifact.version is not None:
            self._register(artifact.version)

    def _log_model(self, model_path: Path) -> None:
        """The candidate as a pyfunc model with a signature and an input example from the held-out rows."""
        saved = joblib.load(model_path)
        example = signature = None
        with _quiet_mlflow():
            if self._examples_path is not None:
                rows = read_csv_file(self._examples_path, self.settings.schema.missing_values)
                example = rows.head(INPUT_EXAMPLE_ROWS)[list(saved.feature_columns)]
                signature = model_signature(example, saved.predict(example))
            info = mlflow.pyfunc.log_model(
                name=LOGGED_MODEL_NAME,
                python_model=SavedModel(self.settings.schema.missing_values),
                artifacts={MODEL_ARTIFACT: str(model_path)},
                code_paths=[str(Path(__file__).resolve().parents[1])],
                signature=signature,
                input_example=example,
                pip_requirements=_requirements(),
            )
        self._model_uri = info.model_uri

    def _register(self, version: str) -> None:
        """Register the run's model as the copy of project version `version` and point the alias at it."""
        if self._model_uri is None:
            raise PipelineError(f"{version} was promoted, but this run logged no model to register in MLflow")
        try:
            registered = mlflow.register_model(
                self._model_uri, REGISTERED_MODEL_NAME, tags={PROJECT_VERSION_TAG: version}
            )
            self.client.set_registered_model_alias(REGISTERED_MODEL_NAME, PRODUCTION_ALIAS, registered.version)
        except MlflowException as exc:
            raise PipelineError(f"{version} was promoted, but registering it in MLflow failed: {exc}") from exc
        logger.info("MLflow: %s version %s is now '%s'", REGISTERED_MODEL_NAME, registered.version, PRODUCTION_ALIAS)

    @contextmanager
    def study(self, name: str, artifact_dir: Path) -> Iterator[None]:
        with self._mlflow_run(name, artifact_dir):
            mlflow.set_tag("kind", "tune")
            yield

    def log_trial(self, number: int, params: dict[str, Any], score: float | None) -> None:
        with mlflow.start_run(experiment_id=self._experiment_id(), run_name=f"trial-{number}", nested=True):
            mlflow.log_params(params)
            if score is not None:
                mlflow.log_metric("cv_score", score)

    def promote(self, version: str) -> None:
        """Move the `production` alias to the registered copy of `version`, if it was registered."""
        try:
            matches = [
                found
                for found in self.client.search_model_versions(f"name='{REGISTERED_MODEL_NAME}'")
                if found.tags.get(PROJECT_VERSION_TAG) == version
            ]
            if not matches:
                logger.warning(
                    "MLflow has no registered copy of %s; the '%s' alias was not moved", version, PRODUCTION_ALIAS
                )
                return
            latest = max(matches, key=lambda found: int(found.version))
            self.client.set_registered_model_alias(REGISTERED_MODEL_NAME, PRODUCTION_ALIAS, latest.version)
        except MlflowException as exc:
            message = f"{version} is the production model, but moving the MLflow alias failed: {exc}"
            raise PipelineError(message) from exc


def _network_error(error: BaseException | None) -> bool:
    """A refused connection or a timeout somewhere in the chain (requests' errors are OSErrors; MLflow wraps them,
    sometimes without `from`)."""
    while error is not None:
        if isinstance(error, OSError):
            return True
        error = error.__cause__ or error.__context__
    return False


@contextmanager
def _quiet_mlflow() -> Iterator[None]:
    """Keep stderr to the project's own log while MLflow logs the model: its download bar, its hint about integer
    columns (the signature leaves number columns untyped) and its note that a pyfunc model is pickled ask nothing of
    the user. Its errors still show."""
    mlflow_logger, bar = logging.getLogger("mlflow"), MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR.name
    level, shown = mlflow_logger.level, os.environ.get(bar)
    mlflow_logger.setLevel(logging.ERROR)
    os.environ[bar] = "false"
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="mlflow")
            yield
    finally:
        mlflow_logger.setLevel(level)
        if shown is None:
            del os.environ[bar]
        else:
            os.environ[bar] = shown


def _requirements() -> list[str]:
    """This project's own runtime requirements, so a model served in a fresh environment gets the same libraries."""
    try:
        declared = importlib.metadata.requires(DISTRIBUTION_NAME) or []
    except importlib.metadata.PackageNotFoundError:
        declared = []
    return [requirement for requirement in declared if "extra ==" not in requirement] or ["mlflow", "scikit-learn"]
