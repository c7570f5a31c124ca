"""Requests a hostile or careless client sends: oversized bodies, values no model can score, partial records.
Each gets a 4xx in the one documented error shape, never a 500, a traceback or its own input echoed back."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.api.schemas import ErrorResponse
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.constants import TRAIN_TOKEN_ENV_VAR

SAMPLE = "data/raw/sensor_sample.csv"


@pytest.fixture
def client(trained) -> TestClient:
    return TestClient(create_app(load_settings(trained)))


def _record(project) -> dict:
    frame = pd.read_csv(project / SAMPLE, dtype=str, keep_default_na=False).drop(columns=["class"]).head(1)
    return frame.to_dict(orient="records")[0]


def _error(response, status: int) -> str:
    assert response.status_code == status, response.text
    return ErrorResponse.model_validate(response.json()).detail


def test_a_body_over_max_body_bytes_is_refused_before_it_is_read(trained, edit_config) -> None:
    edit_config("max_body_bytes: 4194304", "max_body_bytes: 4096")
    client = TestClient(create_app(load_settings(trained)))
    pulled = []

    def chunks():
        for _ in range(300):
            pulled.append(1)
            yield b" " * 65536

    declared = client.post("/predict", content=b"{" + b" " * 10_000, headers={"content-type": "application/json"})
    streamed = client.post("/predict", content=chunks(), headers={"content-type": "application/json"})

    assert "max_body_bytes" in _error(declared, 413)
    assert "max_body_bytes" in _error(streamed, 413)


def test_a_huge_wrong_key_body_is_not_echoed_back(client) -> None:
    payload = "x" * 2_000_000

    response = client.post("/predict", json={"rows": [payload]})

    assert "records" in _error(response, 422)
    assert len(response.content) < 2000
    assert "xxxxxxxxxx" not in response.text


@pytest.mark.parametrize(
    "raw_value",
    ["Infinity", "-Infinity", "1e309", "1" + "0" * 400, '"inf"', '"-Infinity"', '"1e309"'],
    ids=["Infinity", "minus-Infinity", "1e309", "10**400", "inf-text", "minus-Infinity-text", "1e309-text"],
)
def test_infinite_and_too_large_numbers_are_refused_with_422(trained, client, raw_value: str) -> None:
    record = {**_record(trained), "ab_000": "__VALUE__"}
    body = json.dumps({"records": [record]}).replace('"__VALUE__"', raw_value)

    response = client.post("/predict", content=body, headers={"content-type": "application/json"})

    assert "ab_000" in _error(response, 422)


@pytest.mark.parametrize("raw_value", ["1_000", "١٢"], ids=["underscores", "arabic-indic-digits"])
@pytest.mark.parametrize("beside_a_number", [False, True], ids=["alone", "beside-a-number"])
def test_numbers_float_reads_but_no_csv_writes_are_refused_with_422(
    trained, client, raw_value: str, beside_a_number: bool
) -> None:
    """float() reads "1_000" and "١٢" (an upload with them is refused as not numbers: so is a record)."""
    record = {**_record(trained), "ab_000": raw_value}
    plain = {**_record(trained), "ab_000": 12.0}
    upload = pd.DataFrame([record]).to_csv(index=False).encode()

    answered = client.post("/predict", json={"records": [plain, record] if beside_a_number else [record]})
    uploaded = client.post("/predict/csv", files={"file": ("rows.csv", upload, "text/csv")})

    assert f"ab_000 (e.g. {raw_value!r})" in _error(answered, 422)
    assert f"ab_000 (e.g. {raw_value!r})" in _error(uploaded, 422)


def test_a_token_without_the_bearer_scheme_is_refused_with_401(project, monkeypatch) -> None:
    monkeypatch.setenv(TRAIN_TOKEN_ENV_VAR, "let-me-train")
    client = TestClient(create_app(load_settings(project)))

    for header in ["let-me-train", "Basic let-me-train", "Bearerlet-me-train"]:
        assert "Bearer" in _error(client.post("/train", headers={"Authorization": header}), 401)
        assert "Bearer" in _error(client.get("/train/some-run", headers={"Authorization": header}), 401)


def test_a_record_missing_a_column_is_refused_even_beside_a_complete_one(trained, client) -> None:
    complete = _record(trained)
    partial = {key: value for key, value in complete.items() if key != "aa_000"}

    response = client.post("/predict", json={"records": [complete, partial]})

    assert "record 1 is missing required columns: aa_000" in _error(response, 422)


def test_a_record_missing_every_column_names_them_all(trained, client) -> None:
    columns = set(_record(trained))

    response = client.post("/predict", json={"records": [{}]})

    message = _error(response, 422)
    named = message.split("record 0 is missing required columns: ", 1)[1].split(", ")
    assert len(named) == len(set(named)) > 10, message  # more than ten, each once: none left out as "N more"
    assert set(named) <= columns, message


def test_a_header_only_upload_is_refused_with_422(trained, client) -> None:
    header = (trained / SAMPLE).read_text().splitlines()[0].encode()

    response = client.post("/predict/csv", files={"file": ("rows.csv", header, "text/csv")})

    assert "no rows" in _error(response, 422)


def test_bodies_the_openapi_schema_admits_and_no_model_can_score_get_the_documented_422(client) -> None:
    """An empty record and an empty upload are valid for the OpenAPI schema, which cannot know the served version's
    columns: their 422 is documented as such, and its answer names what is missing."""
    paths = client.get("/openapi.json").json()["paths"]
    records_422 = paths["/predict"]["post"]["responses"]["422"]["description"]
    csv_422 = paths["/predict/csv"]["post"]["responses"]["422"]["description"]
    assert "lacks a feature column of the served model (`{}` lacks them all" in records_422
    assert "it is empty or has a header and no rows" in csv_422

    assert "missing required columns" in _error(client.post("/predict", json={"records": [{}]}), 422)
    empty = client.post("/predict/csv", files={"file": ("rows.csv", b"", "text/csv")})
    assert "not a readable CSV file" in _error(empty, 422)


def test_every_error_status_is_documented_with_the_error_model(client) -> None:
    schema = client.get("/openapi.json").json()
    expected = {
        ("/predict", "post"): {"400", "413", "422", "503"},
        ("/predict/csv", "post"): {"400", "413", "422", "503"},
        ("/train", "post"): {"401", "403", "409", "413", "422", "503"},
        ("/train/{run_id}", "get"): {"401", "403", "404", "413", "422"},
        ("/ready", "get"): {"503"},
    }
    for (path, method), statuses in expected.items():
        responses = schema["paths"][path][method]["responses"]
        assert statuses <= set(responses), (path, sorted(responses))
        for status in statuses:
            reference = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert reference.endswith("/ErrorResponse"), (path, status, reference)


def test_error_answers_all_have_the_documented_shape(trained, client, monkeypatch) -> None:
    monkeypatch.delenv("{{ cookiecutter.package_name | upper }}_TRAIN_TOKEN", raising=False)
    answers = [
        (client.post("/predict", content=b"{not json", headers={"content-type": "application/json"}), 422),
        (client.post("/predict", json={"records": [{"aa_000": {"nested": 1}}]}), 422),
        (client.post("/predict", json={"records": [{"aa_000": "1"}]}), 422),
        (client.post("/train"), 403),
        (client.get("/nowhere"), 404),
    ]
    for response, status in answers:
        assert _error(response, status)
