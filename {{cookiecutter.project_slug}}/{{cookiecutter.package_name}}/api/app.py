"""The FastAPI application. Bad requests get a 4xx that says what is wrong, never a stack trace.

GET /health, GET /model, POST /predict, POST /predict/csv; POST /train and GET /train/{run_id} only when the
environment variable named by TRAIN_TOKEN_ENV_VAR holds a token, and only for requests that present it.
"""

from __future__ import annotations

import io
import json
import logging
import secrets
from typing import Annotated

import numpy as np
import pandas as pd
from fastapi import FastAPI, File, Header, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from {{ cookiecutter.package_name }} import DESCRIPTION, PROJECT_NAME, __version__
from {{ cookiecutter.package_name }}.api.model_cache import ModelCache
from {{ cookiecutter.package_name }}.api.schemas import PredictRequest, PredictResponse, TrainStarted
from {{ cookiecutter.package_name }}.api.training_jobs import TrainingJobs
from {{ cookiecutter.package_name }}.configuration import Settings, load_settings
from {{ cookiecutter.package_name }}.constants import TRAIN_TOKEN_ENV_VAR
from {{ cookiecutter.package_name }}.exception import InputError, PipelineError
from {{ cookiecutter.package_name }}.logger import configure_logging
from {{ cookiecutter.package_name }}.ml.fast_predictor import Predictor, labelled
from {{ cookiecutter.package_name }}.registry.factory import build_model_registry
from {{ cookiecutter.package_name }}.registry.model_registry import ProductionModel

logger = logging.getLogger(__name__)


def create_app(settings: Settings) -> FastAPI:
    limits = settings.config.serving
    max_rows, max_upload_bytes = limits.max_rows, limits.max_upload_bytes
    missing_values = tuple(settings.schema.missing_values)
    registry = build_model_registry(settings)
    models = ModelCache(registry)
    jobs = TrainingJobs(settings, registry)
    app = FastAPI(title=PROJECT_NAME, description=DESCRIPTION, version=__version__)

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

    def respond(production: ProductionModel, predictor: Predictor, probabilities: np.ndarray) -> Response:
        """The PredictResponse as JSON, written directly: validating our own output again costs more than the model."""
        labels, chosen = labelled(predictor.model, probabilities)
        predictions = [{"label": label, "probability": value} for label, value in zip(labels, chosen, strict=True)]
        body = {"model_version": production.version, "predictions": predictions}
        return Response(json.dumps(body, separators=(",", ":")).encode(), media_type="application/json")

    def check_rows(rows: int) -> None:
        if rows > max_rows:
            raise HTTPException(413, f"{rows} rows sent; at most {max_rows} per request")

    @app.get("/health")
    def health() -> dict:
        loaded = models.get()
        version = loaded[0].version if loaded else None
        return {"status": "ok", "model_loaded": loaded is not None, "model_version": version}

    @app.get("/model")
    def model_metadata() -> dict:
        return loaded_model()[0].metadata

    # async: a request costs well under a millisecond in onnxruntime, less than a hop to the thread pool.
    @app.post("/predict", response_model=PredictResponse)
    async def predict_records(request: PredictRequest) -> Response:
        check_rows(len(request.records))
        # Loading a new version takes seconds: only then leave the event loop.
        production, predictor = models.loaded_if_current() or await run_in_threadpool(loaded_model)
        if predictor.runtime == "onnxruntime":
            probabilities = predictor.predict_proba_records(request.records, missing_values)
        else:  # the scikit-learn fallback takes milliseconds: keep the event loop free meanwhile
            probabilities = await run_in_threadpool(predictor.predict_proba_records, request.records, missing_values)
        return respond(production, predictor, probabilities)

    @app.post("/predict/csv", response_model=PredictResponse)
    async def predict_csv(file: Annotated[UploadFile, File()]) -> Response:
        content = await file.read(max_upload_bytes + 1)
        if len(content) > max_upload_bytes:
            raise HTTPException(413, f"upload larger than {max_upload_bytes} bytes")
        try:
            frame = pd.read_csv(io.BytesIO(content), na_values=list(settings.schema.missing_values))
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
            raise HTTPException(422, f"the upload is not a readable CSV file: {error}") from error
        check_rows(len(frame))
        production, predictor = models.loaded_if_current() or await run_in_threadpool(loaded_model)
        return respond(production, predictor, await run_in_threadpool(predictor.predict_proba_frame, frame))

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


def create_app_from_project() -> FastAPI:
    """The app of the project found from the environment: what each process of `serve --workers N` runs."""
    settings = load_settings()
    configure_logging(settings.project_root)
    if not settings.config.serving.access_log:  # the logging config above re-enabled uvicorn's access logger
        access = logging.getLogger("uvicorn.access")
        access.handlers, access.propagate = [], False
    return create_app(settings)
