"""Shared fixtures. Every test works on a copy of the project in a temporary directory, never on the real
models/ or artifacts/, and the component fixtures chain like the pipeline does."""

from __future__ import annotations

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

from {{ cookiecutter.package_name }}.components.data_ingestion import DataIngestion
from {{ cookiecutter.package_name }}.components.data_transformation import DataTransformation
from {{ cookiecutter.package_name }}.components.data_validation import DataValidation
from {{ cookiecutter.package_name }}.components.model_trainer import ModelTrainer
from {{ cookiecutter.package_name }}.configuration import Settings, load_settings
from {{ cookiecutter.package_name }}.configuration.training_config import TrainingConfiguration
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR, HOME_ENV_VAR
{%- if cookiecutter.data_source == "mongodb" %}
from {{ cookiecutter.package_name }}.data_access import build_data_source, mongodb_source
{%- elif cookiecutter.data_source == "sql" %}
from {{ cookiecutter.package_name }}.data_access import build_data_source
{%- endif %}
from {{ cookiecutter.package_name }}.entity import artifact_entity
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file

from tests.frame_source import FrameSource

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = Path("data") / "raw" / "sensor_sample.csv"


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
@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch{% if cookiecutter.artifact_storage == "s3" %}, s3_endpoint: str{% endif %}) -> Path:
    """A throwaway project directory holding the real config and sample data."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / CONFIG_DIR, root / CONFIG_DIR)
    (root / SAMPLE_DATA).parent.mkdir(parents=True)
    shutil.copy2(PROJECT_ROOT / SAMPLE_DATA, root / SAMPLE_DATA)
    monkeypatch.setenv(HOME_ENV_VAR, str(root))
{%- if cookiecutter.artifact_storage == "s3" %}
    use_s3(s3_endpoint, load_settings(root).config.storage.s3.bucket, monkeypatch)
{%- endif %}
{%- if cookiecutter.data_source == "sql" %}
    # DATABASE_URL set (e.g. by CI) means a real server; unset, the SQLite file of config.yaml inside root.
    _load_sample(root)
{%- elif cookiecutter.data_source == "mongodb" %}
    # MONGODB_URL set (e.g. by CI) means a real server; unset, an in-memory mongomock server stands in.
    if not os.environ.get("MONGODB_URL"):
        monkeypatch.setenv("MONGODB_URL", "mongodb://127.0.0.1:27017")
        monkeypatch.setattr(mongodb_source, "MongoClient", _shared_mongomock_client())
    _load_sample(root)
{%- endif %}
    return root
{%- if cookiecutter.data_source == "mongodb" %}


def _shared_mongomock_client():
    """One in-memory server per test, reached by every MongoClient the code creates."""
    server = mongomock.MongoClient()
    return lambda *args, **kwargs: server
{%- endif %}


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


def _load_sample(root: Path) -> None:
    """What `python scripts/load_data.py` does: fill the configured source with the sample."""
    settings = load_settings(root)
    frame = read_csv_file(root / SAMPLE_DATA, settings.schema.missing_values)
    build_data_source(settings).write(frame)
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


@pytest.fixture
def transformation_artifact(configuration, validation_artifact) -> artifact_entity.DataTransformationArtifact:
    return DataTransformation(configuration.data_transformation(), validation_artifact).run()


@pytest.fixture
def trainer_artifact(configuration, transformation_artifact) -> artifact_entity.ModelTrainerArtifact:
    return ModelTrainer(configuration.model_trainer(), transformation_artifact).run()
