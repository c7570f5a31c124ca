"""The HTTP API through FastAPI's test client, on a project trained in a temporary directory."""

from __future__ import annotations

import json
import time

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.api.schemas import Prediction, PredictResponse
from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.constants import ONNX_MODEL_FILE, TRAIN_TOKEN_ENV_VAR
from {{ cookiecutter.package_name }}.inference.fast_predictor import load_predictor
from {{ cookiecutter.package_name }}.inference.model import TabularModel

SAMPLE = "data/raw/sensor_sample.csv"


@pytest.fixture
def client(settings) -> TestClient:
    return TestClient(create_app(settings))


def _records(project, rows: int = 3) -> list[dict]:
    frame = pd.read_csv(project / SAMPLE, dtype=str, keep_default_na=False).drop(columns=["class"]).head(rows)
    return frame.to_dict(orient="records")


def test_health_and_model_before_any_training(client) -> None:
    assert client.get("/health").json() == {"status": "ok", "model_loaded": False, "model_version": None}
    response = client.get("/model")
    assert response.status_code == 503
    assert "train" in response.json()["detail"]


def test_predict_returns_one_answer_per_record_in_order(trained, client) -> None:
    records = _records(trained, rows=5)

    response = client.post("/predict", json={"records": records})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["model_version"] == "v0001"
    assert len(body["predictions"]) == 5
    assert all(item["label"] in {"pos", "neg"} and 0 <= item["probability"] <= 1 for item in body["predictions"])
    one_by_one = [client.post("/predict", json={"records": [record]}).json()["predictions"][0] for record in records]
    assert one_by_one == body["predictions"]
    assert client.get("/model").json()["version"] == "v0001"


@pytest.mark.parametrize("per_class", [False, True], ids=["labels", "with-probabilities"])
def test_predict_body_is_the_compact_json_of_the_response_model(trained, client, settings, per_class) -> None:
    """The answer is written without pydantic: byte for byte, it must be the documented model's JSON."""
    records = _records(trained, rows=4)
    production = build_model_registry(settings).current()
    assert production is not None
    predictor = load_predictor(TabularModel.load(production.model_path), production.directory / ONNX_MODEL_FILE)
    scores = predictor.predict_proba_records(records, tuple(settings.schema.missing_values))
    labels, chosen = predictor.model.chosen(scores)
    classes = [str(label) for label in predictor.model.classes]
    expected = PredictResponse(
        model_version=production.version,
        predictions=[
            Prediction(
                label=str(label),
                probability=round(float(value), 6),
                probabilities=dict(zip(classes, row, strict=True)) if per_class else None,
            )
            for label, value, row in zip(labels, chosen, scores.round(6).tolist(), strict=True)
        ],
    )

    response = client.post("/predict", json={"records": records, "probabilities": per_class})

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.content == json.dumps(expected.model_dump(), separators=(",", ":")).encode()
    documented = client.get("/openapi.json").json()["paths"]["/predict"]["post"]["responses"]["200"]
    assert documented["content"]["application/json"]["schema"]["$ref"].endswith("/PredictResponse")


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ("{not json", 422, "JSON"),
        ({"records": []}, 422, "at least 1"),
        ({"records": [{"aa_000": {"nested": 1}}]}, 422, "records"),
        ({"rows": []}, 422, "records"),
    ],
    ids=["malformed-json", "no-records", "wrong-type", "wrong-key"],
)
def test_malformed_requests_get_a_4xx_that_says_why(trained, client, body, status, words) -> None:
    if isinstance(body, str):
        response = client.post("/predict", content=body, headers={"content-type": "application/json"})
    else:
        response = client.post("/predict", json=body)

    assert response.status_code == status
    assert words in response.text


def test_missing_columns_and_bad_values_are_named(trained, client) -> None:
    record = _records(trained, rows=1)[0]
    missing = {key: value for key, value in record.items() if key not in {"aa_000", "ag_001"}}
    broken = {**record, "ab_000": "broken"}

    missing_response = client.post("/predict", json={"records": [missing]})
    broken_response = client.post("/predict", json={"records": [broken]})

    assert missing_response.status_code == 422
    assert "aa_000, ag_001" in missing_response.json()["detail"]
    assert broken_response.status_code == 422
    assert "ab_000" in broken_response.json()["detail"]


def test_limits_on_rows_and_upload_size(trained, edit_config) -> None:
    edit_config("max_rows: 1000", "max_rows: 2")
    edit_config("max_upload_bytes: 1048576", "max_upload_bytes: 2000")
    client = TestClient(create_app(load_settings(trained)))

    too_many = client.post("/predict", json={"records": _records(trained, rows=3)})
    too_big = client.post("/predict/csv", files={"file": ("big.csv", (trained / SAMPLE).read_bytes(), "text/csv")})

    assert too_many.status_code == 413
    assert "at most 2" in too_many.json()["detail"]
    assert too_big.status_code == 413


def test_csv_upload(trained, client) -> None:
    content = "\n".join((trained / SAMPLE).read_text().splitlines()[:11]).encode()

    response = client.post("/predict/csv", files={"file": ("rows.csv", content, "text/csv")})
    garbage = client.post("/predict/csv", files={"file": ("rows.csv", b"\xff\xfe\x00garbage", "text/csv")})

    assert response.status_code == 200
    assert len(response.json()["predictions"]) == 10
    assert garbage.status_code == 422


def test_new_model_is_served_without_a_restart(trained, client, project) -> None:
    assert client.get("/health").json()["model_version"] == "v0001"
    config = project / "config" / "config.yaml"
    config.write_text(config.read_text().replace("min_improvement: 0.01", "min_improvement: -1"))

    assert main(["train"]) == 0

    assert client.get("/health").json()["model_version"] == "v0002"


def test_training_is_off_without_a_token(project, monkeypatch) -> None:
    monkeypatch.delenv(TRAIN_TOKEN_ENV_VAR, raising=False)
    client = TestClient(create_app(load_settings(project)))

    response = client.post("/train")

    assert response.status_code == 403
    assert TRAIN_TOKEN_ENV_VAR in response.json()["detail"]


def test_training_with_a_token_runs_in_the_background(project, monkeypatch) -> None:
    monkeypatch.setenv(TRAIN_TOKEN_ENV_VAR, "let-me-train")
    client = TestClient(create_app(load_settings(project)))
    assert client.post("/train", headers={"Authorization": "Bearer wrong"}).status_code == 401
    headers = {"Authorization": "Bearer let-me-train"}

    started = client.post("/train", headers=headers)
    assert started.status_code == 202
    status_url = started.json()["status_url"]
    deadline = time.monotonic() + 60
    while (status := client.get(status_url, headers=headers).json())["status"] == "running":
        assert time.monotonic() < deadline, "training did not finish in 60 s"
        time.sleep(0.2)

    assert status["status"] == "succeeded", status
    assert status["version"] == "v0001"
    assert client.get("/train/unknown-run", headers=headers).status_code == 404
