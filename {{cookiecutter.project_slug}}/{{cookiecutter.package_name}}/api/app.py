"""The FastAPI application. Bad requests get a 4xx that says what is wrong, never a stack trace.

GET /health, GET /model, POST /predict, POST /predict/csv; POST /train and GET /train/{run_id} only when the
environment variable named by TRAIN_TOKEN_ENV_VAR holds a token, and only for requests that present it.
GET /metrics serves Prometheus metrics (api/metrics.py).
"""

from __future__ import annotations

import io
import logging
import secrets
from typing import Annotated

import pandas as pd
from fastapi import FastAPI, File, Header, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse

from {{ cookiecutter.package_name }} import DESCRIPTION, PROJECT_NAME, __version__
from {{ cookiecutter.package_name }}.api.metrics import install_metrics
from {{ cookiecutter.package_name }}.api.model_cache import ModelCache
from {{ cookiecutter.package_name }}.api.schemas import PredictRequest, PredictResponse, TrainStarted
from {{ cookiecutter.package_name }}.api.training_jobs import TrainingJobs
from {{ cookiecutter.package_name }}.configuration import Settings
from {{ cookiecutter.package_name }}.constants import PREDICTION_COLUMN, PROBABILITY_COLUMN, TRAIN_TOKEN_ENV_VAR
from {{ cookiecutter.package_name }}.exception import InputError, PipelineError
from {{ cookiecutter.package_name }}.monitoring.feature_log import FEATURE_LOG, FeatureLog
from {{ cookiecutter.package_name }}.registry.factory import build_model_registry

logger = logging.getLogger(__name__)


def create_app(settings: Settings) -> FastAPI:
    limits = settings.config.serving
    max_rows, max_upload_bytes = limits.max_rows, limits.max_upload_bytes
    registry = build_model_registry(settings)
    models = ModelCache(registry)
    jobs = TrainingJobs(settings, registry)
    app = FastAPI(title=PROJECT_NAME, description=DESCRIPTION, version=__version__)
    metrics = install_metrics(app, registry.current_version)
    env = settings.environment
    scored = FeatureLog(settings.path(FEATURE_LOG), settings.schema.feature_columns, env.feature_log_sample_rate,
                        env.feature_log_max_bytes)

    @app.exception_handler(PipelineError)
    async def pipeline_error(request: Request, error: PipelineError) -> JSONResponse:
        status = 422 if isinstance(error, InputError) else 503
        return JSONResponse(status_code=status, content={"detail": error.message})

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s", request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"})

    def loaded_model():
        loaded = models.get()
        if loaded is None:
            raise HTTPException(503, "no production model yet: train one first")
        return loaded

    def predict(frame: pd.DataFrame) -> PredictResponse:
        if len(frame) > max_rows:
            raise HTTPException(413, f"{len(frame)} rows sent; at most {max_rows} per request")
        production, model = loaded_model()
        frame = frame.replace(list(settings.schema.missing_values), float("nan"))
        result = model.predict(frame)
        metrics.count_predictions(result[PREDICTION_COLUMN])
        scored.record(frame)
        predictions = [
            {"label": label, "probability": float(probability)}
            for label, probability in zip(result[PREDICTION_COLUMN], result[PROBABILITY_COLUMN], strict=True)
        ]
        return PredictResponse(model_version=production.version, predictions=predictions)

    @app.get("/health")
    def health() -> dict:
        loaded = models.get()
        version = loaded[0].version if loaded else None
        return {"status": "ok", "model_loaded": loaded is not None, "model_version": version}

    @app.get("/model")
    def model_metadata() -> dict:
        return loaded_model()[0].metadata

    @app.post("/predict", response_model=PredictResponse)
    def predict_records(request: PredictRequest) -> PredictResponse:
        return predict(pd.DataFrame.from_records(request.records))

    @app.post("/predict/csv", response_model=PredictResponse)
    async def predict_csv(file: Annotated[UploadFile, File()]) -> PredictResponse:
        content = await file.read(max_upload_bytes + 1)
        if len(content) > max_upload_bytes:
            raise HTTPException(413, f"upload larger than {max_upload_bytes} bytes")
        try:
            frame = pd.read_csv(io.BytesIO(content), na_values=list(settings.schema.missing_values))
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
            raise HTTPException(422, f"the upload is not a readable CSV file: {error}") from error
        return predict(frame)

    def require_token(authorization: str | None) -> None:
        token = settings.environment.train_token
        expected = token.get_secret_value() if token else ""
        if not expected:
            raise HTTPException(403, f"training over HTTP is disabled; set {TRAIN_TOKEN_ENV_VAR} to enable it")
        presented = (authorization or "").removeprefix("Bearer ").strip()
        if not secrets.compare_digest(presented.encode(), expected.encode()):
            raise HTTPException(401, "missing or wrong token: send 'Authorization: Bearer <token>'")

    @app.post("/train", status_code=202, response_model=TrainStarted)
    def train(authorization: Annotated[str | None, Header()] = None) -> TrainStarted:
        require_token(authorization)
        job = jobs.start()
        if job is None:
            raise HTTPException(409, "a training run is still running; poll its status, then try again")
        return TrainStarted(run_id=job.run_id, status_url=f"/train/{job.run_id}")

    @app.get("/train/{run_id}")
    def training_status(run_id: str, authorization: Annotated[str | None, Header()] = None) -> dict:
        require_token(authorization)
        job = jobs.get(run_id)
        if job is None:
            raise HTTPException(404, f"no training run {run_id} started by this server")
        return {"run_id": job.run_id, "status": job.status, **job.details}

    return app
