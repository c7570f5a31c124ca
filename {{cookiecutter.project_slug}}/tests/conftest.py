"""Shared fixtures. Every test works on a copy of the project in a temporary directory, never on the real
models/ or artifacts/, and the component fixtures chain like the pipeline does.

Training is the slow part, so the sample is trained once per session, twice over: through `train` (for tests that
need a production model, `trained`) and component by component (`transformation_artifact`, `trainer_artifact`).
Each test gets its own copy of what that training wrote, so a test can change it freely."""

from __future__ import annotations

import dataclasses
import logging
{%- if cookiecutter.data_source == "mongodb" %}
import os
{%- endif %}
import shutil
{%- if cookiecutter.artifact_storage == "s3" %}
import socket
{%- endif %}
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

{% if cookiecutter.artifact_storage == "s3" -%}
import boto3
{% endif -%}
{% if cookiecutter.data_source == "mongodb" -%}
import mongomock
{% endif -%}
import pandas as pd
import pytest
{%- if cookiecutter.artifact_storage == "s3" %}
from moto.server import ThreadedMotoServer
{%- endif %}

{% if cookiecutter.data_source != "csv" -%}
from {{ cookiecutter.package_name }}.builders.data_source import build_data_source
{% endif -%}
{% if cookiecutter.artifact_storage == "s3" -%}
from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
{% endif -%}
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.components.data_ingestion import DataIngestion
from {{ cookiecutter.package_name }}.components.data_transformation import DataTransformation
from {{ cookiecutter.package_name }}.components.data_validation import DataValidation
from {{ cookiecutter.package_name }}.components.model_trainer import ModelTrainer
from {{ cookiecutter.package_name }}.configuration import Settings, load_settings
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR, HOME_ENV_VAR
{%- if cookiecutter.data_source == "mongodb" %}
from {{ cookiecutter.package_name }}.data_access import mongodb_source
{%- endif %}
from {{ cookiecutter.package_name }}.entity import artifact_entity
from {{ cookiecutter.package_name }}.pipeline.training_config import TrainingConfiguration
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file

from tests.frame_source import FrameSource

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = Path("data") / "raw" / "sensor_sample.csv"
# What copy_config changes in the shipped config.yaml (unless asked for importance).
IMPORTANCE_OFF = ("permutation_importance: true", "permutation_importance: false")
MODELS = Path("models")
Artifact = TypeVar("Artifact", artifact_entity.DataTransformationArtifact, artifact_entity.ModelTrainerArtifact)
# Points the package at a test project: see the `point_at_services` fixture.
PointAtServices = Callable[[Path, pytest.MonkeyPatch], None]
# Where the components ran, and what the last two returned.
TrainedComponents = tuple[Path, artifact_entity.DataTransformationArtifact, artifact_entity.ModelTrainerArtifact]


@pytest.fixture(autouse=True)
def _close_log_handlers() -> Iterator[None]:
    """The CLI attaches handlers to pytest's captured streams; drop them so later tests log cleanly."""
    yield
    package_logger = logging.getLogger("{{ cookiecutter.package_name }}")
    for handler in list(package_logger.handlers):
        package_logger.removeHandler(handler)
        handler.close()


{% if cookiecutter.artifact_storage == "s3" -%}
@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 endpoint over HTTP on 127.0.0.1 (moto's server), for the whole test session."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def use_s3(endpoint: str, bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every boto3 client at the endpoint with dummy credentials, and start from an empty bucket."""
    for name, value in {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint)
    if bucket not in [existing["Name"] for existing in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=bucket)
    for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
        client.delete_object(Bucket=bucket, Key=item["Key"])


{% endif -%}
@pytest.fixture(scope="session")
def point_at_services({% if cookiecutter.artifact_storage == "s3" %}s3_endpoint: str{% endif %}) -> PointAtServices:
    """What points the package at a test project in `root`, whatever the project's scope: its home
{%- if cookiecutter.artifact_storage == "s3" %}, the S3
    endpoint with an empty bucket{% endif %}
{%- if cookiecutter.data_source == "mongodb" %}, a MongoDB{% endif %}."""

    def point(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(HOME_ENV_VAR, str(root))
{%- if cookiecutter.artifact_storage == "s3" %}
        use_s3(s3_endpoint, load_settings(root).config.storage.s3.bucket, monkeypatch)
{%- endif %}
{%- if cookiecutter.data_source == "mongodb" %}
        # MONGODB_URL set (e.g. by CI) means a real server; unset, an in-memory mongomock server stands in.
        if not os.environ.get("MONGODB_URL"):
            monkeypatch.setenv("MONGODB_URL", "mongodb://127.0.0.1:27017")
            monkeypatch.setattr(mongodb_source, "MongoClient", _shared_mongomock_client())
{%- endif %}

    return point
{%- if cookiecutter.data_source == "mongodb" %}


def _shared_mongomock_client():
    """One in-memory server per project, reached by every MongoClient the code creates."""
    server = mongomock.MongoClient()
    return lambda *args, **kwargs: server
{%- endif %}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point_at_services: PointAtServices) -> Path:
    """A throwaway project directory holding the real config and sample data."""
    return _new_project(tmp_path / "project", monkeypatch, point_at_services)


def copy_config(root: Path, *, importance: bool = False) -> None:
    """The shipped config/ copied to `root`, with the run page's permutation importance off unless asked for: it
    adds seconds to every `train`, and the tests train often."""
    shutil.copytree(PROJECT_ROOT / CONFIG_DIR, root / CONFIG_DIR)
    if not importance:
        path = root / CONFIG_DIR / "config.yaml"
        text = path.read_text(encoding="utf-8")
        assert IMPORTANCE_OFF[0] in text, f"{IMPORTANCE_OFF[0]!r} is not in config.yaml"
        path.write_text(text.replace(*IMPORTANCE_OFF, 1), encoding="utf-8")


def _new_project(
    root: Path, monkeypatch: pytest.MonkeyPatch, point_at_services: PointAtServices, *, importance: bool = False
) -> Path:
    """Config and sample data copied to `root`, the package pointed at it{% if cookiecutter.data_source != "csv" %}, its data source filled{% endif %}."""
    copy_config(root, importance=importance)
    (root / SAMPLE_DATA).parent.mkdir(parents=True)
    shutil.copy2(PROJECT_ROOT / SAMPLE_DATA, root / SAMPLE_DATA)
    point_at_services(root, monkeypatch)
{%- if cookiecutter.data_source == "sql" %}
    # DATABASE_URL set (e.g. by CI) means a real server; unset, the SQLite file of config.yaml inside root.
{%- endif %}
{%- if cookiecutter.data_source != "csv" %}
    load_into_source(root, root / SAMPLE_DATA)
{%- endif %}
    return root


@pytest.fixture
def replace_training_data(project: Path):
    """Replace what `train` will read with a given frame, whatever the configured source."""

    def replace(frame: pd.DataFrame) -> None:
{%- if cookiecutter.data_source == "csv" %}
        frame.to_csv(project / SAMPLE_DATA, index=False)
{%- else %}
        build_data_source(load_settings(project)).write(frame)
{%- endif %}

    return replace
{%- if cookiecutter.data_source != "csv" %}


def load_into_source(root: Path, data: Path) -> None:
    """What `python scripts/load_data.py` does: fill the source configured in `root` with the rows of a CSV file."""
    settings = load_settings(root)
    build_data_source(settings).write(read_csv_file(data, settings.schema.missing_values))
{%- endif %}


@pytest.fixture
def edit_config(project: Path) -> Callable[..., None]:
    """Replace one piece of text in a config file of the temporary project (config.yaml unless named)."""

    def edit(old: str, new: str, name: str = "config.yaml") -> None:
        path = project / CONFIG_DIR / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


@pytest.fixture
def settings(project: Path) -> Settings:
    return load_settings(project)


@pytest.fixture
def sample_frame(settings: Settings) -> pd.DataFrame:
    return read_csv_file(settings.project_root / SAMPLE_DATA, settings.schema.missing_values)


@pytest.fixture
def configuration(settings: Settings) -> TrainingConfiguration:
    return TrainingConfiguration(settings, run_id="test-run", production=None)


@pytest.fixture
def ingestion_artifact(configuration, sample_frame) -> artifact_entity.DataIngestionArtifact:
    return DataIngestion(configuration.data_ingestion(), FrameSource(sample_frame)).run()


@pytest.fixture
def validation_artifact(configuration, ingestion_artifact) -> artifact_entity.DataValidationArtifact:
    return DataValidation(configuration.data_validation(), ingestion_artifact).run()


@pytest.fixture(scope="session")
def trained_components(
    tmp_path_factory: pytest.TempPathFactory, point_at_services: PointAtServices
) -> TrainedComponents:
    """The components chained once on the sample, as the fixtures above chain them: (project root, artifacts)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        root = _new_project(tmp_path_factory.mktemp("components") / "project", monkeypatch, point_at_services)
        settings = load_settings(root)
        configuration = TrainingConfiguration(settings, run_id="test-run", production=None)
        frame = read_csv_file(root / SAMPLE_DATA, settings.schema.missing_values)
        ingestion = DataIngestion(configuration.data_ingestion(), FrameSource(frame)).run()
        validation = DataValidation(configuration.data_validation(), ingestion).run()
        transformation = DataTransformation(configuration.data_transformation(), validation).run()
        trainer = ModelTrainer(configuration.model_trainer(), transformation).run()
    return root, transformation, trainer


@pytest.fixture
def transformation_artifact(project, trained_components) -> artifact_entity.DataTransformationArtifact:
    root, transformation, _ = trained_components
    return _copied(transformation, root, project)


@pytest.fixture
def trainer_artifact(project, trained_components) -> artifact_entity.ModelTrainerArtifact:
    root, _, trainer = trained_components
    return _copied(trainer, root, project)


def _copied(artifact: Artifact, old_root: Path, new_root: Path) -> Artifact:
    """The artifact with each file it names copied from `old_root` to the same place under `new_root`."""
    moved = {}
    for field in dataclasses.fields(artifact):
        value = getattr(artifact, field.name)
        if isinstance(value, Path):
            target = new_root / value.relative_to(old_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(value, target)
            moved[field.name] = target
    return dataclasses.replace(artifact, **moved)


@pytest.fixture(scope="session")
def trained_models(tmp_path_factory: pytest.TempPathFactory, point_at_services: PointAtServices) -> Path:
    """models/ of a project on which `train` ran once, on the sample: v0001 in production. The one session run
    that measures permutation importance, for the run page's tests."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        root = tmp_path_factory.mktemp("trained") / "project"
        root = _new_project(root, monkeypatch, point_at_services, importance=True)
        assert main(["train"]) == 0
    return root / MODELS


@pytest.fixture
def trained(project: Path, trained_models: Path) -> Path:
    """The project as `train` on the sample leaves it: its own copy of the session's models/ (v0001 current)."""
    shutil.copytree(trained_models, project / MODELS, dirs_exist_ok=True)
{%- if cookiecutter.artifact_storage == "s3" %}
    # The bucket's CURRENT is what the registry follows: promote there too, as `train` did.
    registry = build_model_registry(load_settings(project))
    assert registry.mirror is not None
    for version in registry.versions():
        registry.mirror.upload_version(version, registry.directory / version)
    registry.mirror.set_current(str(registry.current_version()))
{%- endif %}
    return project
