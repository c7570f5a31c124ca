"""GET /metrics: Prometheus text that the official parser reads, with the counts of the requests just made."""

from __future__ import annotations

import pandas as pd
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.configuration import load_settings

SAMPLE = "data/raw/sensor_sample.csv"


def _samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_metrics_count_requests_predictions_errors_and_the_model_version(trained) -> None:
    client = TestClient(create_app(load_settings(trained)))
    records = pd.read_csv(trained / SAMPLE).drop(columns=["class"]).head(4)
    records = records.astype(object).where(records.notna(), None).to_dict(orient="records")

    for _ in range(2):
        assert client.post("/predict", json={"records": records}).status_code == 200
    assert client.post("/predict", json={"records": [{"nope": 1}]}).status_code == 422
    assert client.get("/health").status_code == 200
    response = client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = _samples(response.text)
    predict_ok = ("http_requests_total", (("endpoint", "/predict"), ("method", "POST"), ("status", "200")))
    assert samples[predict_ok] == 2
    assert samples[("http_requests_total", (("endpoint", "/predict"), ("method", "POST"), ("status", "422")))] == 1
    assert samples[("http_errors_total", (("endpoint", "/predict"), ("kind", "client")))] == 1
    assert samples[("http_request_duration_seconds_count", (("endpoint", "/predict"), ("method", "POST")))] == 3
    predicted = sum(value for (name, _), value in samples.items() if name == "predictions_total")
    assert predicted == 2 * len(records)
    assert samples[("model_info", (("version", "v0001"),))] == 1
    assert not any(dict(labels).get("endpoint") == "/metrics" for _, labels in samples)
