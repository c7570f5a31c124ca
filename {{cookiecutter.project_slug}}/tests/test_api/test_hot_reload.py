"""A broken version made current must not take down a server that has a good model: it keeps serving it,
reports the failure on GET /ready and in the log, and retries."""

from __future__ import annotations

import logging
import shutil
import time

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.api.app import create_app
{%- if cookiecutter.artifact_storage == "s3" %}
from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
{%- endif %}
from {{ cookiecutter.package_name }}.configuration import load_settings
{%- if cookiecutter.artifact_storage == "s3" %}
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry
{%- endif %}

SAMPLE = "data/raw/sensor_sample.csv"


@pytest.fixture
def trained(trained, edit_config):
    """The trained project, its server polling for a new version every second."""
    edit_config("model_poll_seconds: 30", "model_poll_seconds: 1")
    return trained


def _break_a_new_version(project) -> None:
    """v0002 with a model file that is not a model, made current the way a bad promotion or a bad copy would."""
    production = project / "models" / "production"
    shutil.copytree(production / "v0001", production / "v0002")
    (production / "v0002" / "model.joblib").write_bytes(b"this is not a model")
    (production / "CURRENT").write_text("v0002\n")
{%- if cookiecutter.artifact_storage == "s3" %}
    # The bucket's CURRENT is the truth the server follows: the bad version is promoted there too.
    mirror = build_model_registry(load_settings(project)).mirror
    mirror.upload_version("v0002", production / "v0002")
    mirror.set_current("v0002")
{%- endif %}


def _rows(project) -> bytes:
    return "\n".join((project / SAMPLE).read_text().splitlines()[:3]).encode()


def test_a_broken_current_version_does_not_drop_the_served_model(trained, caplog) -> None:
    client = TestClient(create_app(load_settings(trained)))
    assert client.get("/ready").json()["model_version"] == "v0001"

    _break_a_new_version(trained)
    with caplog.at_level(logging.ERROR):
        predicted = client.post("/predict/csv", files={"file": ("rows.csv", _rows(trained), "text/csv")})
        ready = client.get("/ready")

    assert predicted.status_code == 200
    assert predicted.json()["model_version"] == "v0001"
    assert client.get("/health").status_code == 200
    assert ready.status_code == 200
    assert ready.json()["model_version"] == "v0001"
    assert "v0002 cannot be loaded" in ready.json()["detail"]
    assert "production model v0002 cannot be loaded" in caplog.text
    assert "still serving v0001" in caplog.text

    # Fixed in place (e.g. the copy finished): picked up at the next retry, without a restart.
    shutil.copyfile(
        trained / "models" / "production" / "v0001" / "model.joblib",
        trained / "models" / "production" / "v0002" / "model.joblib",
    )
    time.sleep(1.1)
    assert client.get("/ready").json() == {"status": "ready", "model_version": "v0002", "detail": "serving v0002"}


def test_a_current_file_that_is_not_utf8_keeps_the_served_model(trained, caplog) -> None:
    client = TestClient(create_app(load_settings(trained)))
    assert client.get("/ready").json()["model_version"] == "v0001"
    current = trained / "models" / "production" / "CURRENT"

    current.write_bytes("v0001\r\n".encode("utf-16"))  # as Windows PowerShell 5's Out-File writes it
    with caplog.at_level(logging.ERROR):
        answers = [client.post("/predict/csv", files={"file": ("rows.csv", _rows(trained), "text/csv")}) for _ in "abc"]
        ready, metrics = client.get("/ready"), client.get("/metrics")

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert {answer.json()["model_version"] for answer in answers} == {"v0001"}
    assert ready.status_code == 200
    assert "CURRENT is not UTF-8 text" in ready.json()["detail"]
    assert metrics.status_code == 200
    said = [record.getMessage() for record in caplog.records]
    assert len([line for line in said if "CURRENT is not UTF-8 text" in line and "still serving v0001" in line]) == 1

    current.write_text("v0001\n", encoding="utf-8")
    assert client.get("/ready").json() == {"status": "ready", "model_version": "v0001", "detail": "serving v0001"}


def test_a_server_started_on_a_broken_version_is_alive_but_not_ready(trained) -> None:
    _break_a_new_version(trained)
    client = TestClient(create_app(load_settings(trained)))

    ready = client.get("/ready")
    predicted = client.post("/predict/csv", files={"file": ("rows.csv", _rows(trained), "text/csv")})

    assert client.get("/health").status_code == 200
    assert ready.status_code == 503
    assert "v0002 cannot be loaded" in ready.json()["detail"]
    assert predicted.status_code == 503
    assert "v0002 cannot be loaded" in predicted.json()["detail"]
{%- if cookiecutter.artifact_storage == "s3" %}


def test_a_promotion_made_on_another_machine_is_served_after_the_poll_interval(trained, tmp_path) -> None:
    settings = load_settings(trained)
    client = TestClient(create_app(settings))
    assert client.get("/ready").json()["model_version"] == "v0001"

    # Another machine: its own disk, the same bucket.
    elsewhere = ModelRegistry(tmp_path / "elsewhere", build_model_registry(settings).mirror)
    production = trained / "models" / "production" / "v0001"
    elsewhere.promote({name: production / name for name in ("model.joblib", "reference_profile.json")}, {})
    time.sleep(1.1)

    assert client.get("/ready").json()["model_version"] == "v0002"
{%- endif %}
