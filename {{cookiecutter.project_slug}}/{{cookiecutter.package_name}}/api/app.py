"""The FastAPI application. Bad requests get a 4xx that says what is wrong, never a stack trace.

GET /health (liveness), GET /ready (readiness), GET /model, POST /predict, POST /predict/csv; POST /train and
GET /train/{run_id} only when the environment variable named by TRAIN_TOKEN_ENV_VAR holds a token, and only
for requests that present it. Bodies over serving.max_body_bytes are refused before they are read.
GET /metrics serves Prometheus metrics (api/metrics.py).
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Annotated, Any

import pandas as pd
from fastapi import FastAPI, File, Header, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from numpy.typing import NDArray
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..builders.model_registry import build_model_registry
from ..configuration import Settings, load_settings
from ..configuration.project_config import required
from ..constants import TRAIN_TOKEN_ENV_VAR
from ..constants.answers import DESCRIPTION, PROJECT_NAME, VERSION
from ..entity.data_schema import DataSchema
from ..exception import InputError, PipelineError
from ..inference.fast_predictor import OnnxPredictor, Predictor
from ..logger import configure_logging
from ..monitoring.feature_log import FEATURE_LOG, FeatureLog
from ..registry.model_registry import ProductionModel
from ..utils.frames import require_finite, require_rows
from .answers import label_predictions, value_predictions
from .batching import BatchedFrames, BatchedRuns
from .limits import BodySizeLimit
from .metrics import install_metrics
from .model_cache import ModelCache
from .schemas import (
    ErrorResponse,
    PredictRequest,
    PredictResponse,
    ReadyResponse,
    TrainStarted,
    ValueResponse,
)
from .training_jobs import TrainingJobs
from .uploads import read_csv_upload

# Every error answer has one shape, ErrorResponse, declared for each status a route can give.
_ERRORS = {
    status: {"model": ErrorResponse, "description": description}
    for status, description in {
        400: "the body cannot be parsed (invalid JSON, bytes or multipart data)",
        401: "missing or wrong token",
        403: "training over HTTP is disabled",
        404: "unknown training run",
        409: "a training run is already running",
        413: "request body, upload or row count over the configured limit",
        422: "the request or its data cannot be used",
        503: "no production model can be served",
    }.items()
}
_MAX_REPORTED_PROBLEMS = 20
# Compact JSON; one encoder for every answer (json.dumps with options builds a new one each call).
_JSON = json.JSONEncoder(separators=(",", ":"), check_circular=False)


# Bodies the OpenAPI schema admits and the model cannot score: the schema of the columns belongs to the served
# version (it can change at the next promotion), so it is stated here, not encoded in the request schema.
_RECORDS_422 = (
    "the request or its data cannot be used: a record lacks a feature column of the served model (`{}` lacks "
    "them all; GET /model lists them), a value is not a number, true/false or ISO date where the schema needs one, "
    "or a number is infinite"
)
_CSV_422 = (
    "the upload cannot be used: it is empty or has a header and no rows, it is not a readable CSV file, it lacks "
    "a feature column of the served model (GET /model lists them), or a value does not fit the schema"
)


def _errors(*statuses: int, invalid: str | None = None) -> dict[int | str, dict[str, Any]]:
    """The error answers of a route; `invalid`: what makes its 422, when the route can say more than the default."""
    errors: dict[int | str, dict[str, Any]] = {status: _ERRORS[status] for status in (*statuses, 400, 413, 422)}
    if invalid is not None:
        errors[422] = {**_ERRORS[422], "description": invalid}
    return errors


logger = logging.getLogger(__name__)


def create_app(settings: Settings) -> FastAPI:
    limits = required(settings.config.serving, "serving")
    max_rows, max_upload_bytes = limits.max_rows, limits.max_upload_bytes
    registry = build_model_registry(settings)
    artifacts_dir = settings.path(settings.config.storage.artifacts_dir)
    models = ModelCache(registry, retry_seconds=limits.model_poll_seconds, artifacts_dir=artifacts_dir)
    batched, pooled = BatchedRuns(), BatchedFrames()
    jobs = TrainingJobs(settings, registry)
    app = FastAPI(title=PROJECT_NAME, description=DESCRIPTION, version=VERSION)
    app.add_middleware(BodySizeLimit, max_bytes=limits.max_body_bytes)
    metrics = install_metrics(app, models.current_version)
    env = settings.environment

    def schema_of(production: ProductionModel | None) -> DataSchema:
        """The schema a version reads its input with: the one it was trained with (config/schema.yaml for versions
        that did not keep theirs, or before the first one), whatever schema.yaml says now."""
        saved = production.data_schema if production is not None else None
        return saved or settings.schema

    scored = FeatureLog(
        settings.path(FEATURE_LOG),
        schema_of(registry.current()).feature_columns,
        env.feature_log_sample_rate,
        env.feature_log_max_bytes,
    )
    # What /predict answers, as the OpenAPI schema says: labels, or numbers for a measurement.
    answer = ValueResponse if schema_of(registry.current()).is_regression else PredictResponse

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            status_code=error.status_code,
            content={"detail": str(error.detail)},
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        """Where and what, never the offending input itself: a huge body must not come back in the answer."""
        problems = [
            {
                "loc": [str(part) for part in problem.get("loc", ())],
                "msg": str(problem.get("msg", ""))[:200],
                "type": str(problem.get("type", "")),
            }
            for problem in error.errors()[:_MAX_REPORTED_PROBLEMS]
        ]
        first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
        detail = f"invalid request: {'.'.join(first['loc'])}: {first['msg']}"
        return JSONResponse(status_code=422, content={"detail": detail, "errors": problems})

    @app.exception_handler(PipelineError)
    async def pipeline_error(request: Request, error: PipelineError) -> JSONResponse:
        status = 422 if isinstance(error, InputError) else 503
        return JSONResponse(status_code=status, content={"detail": error.message})

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s", request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error; see the server log"})

    def loaded_model() -> tuple[ProductionModel, Predictor]:
        loaded = models.get()
        if loaded is None:
            raise HTTPException(503, models.readiness()[1])
        return loaded

    async def serving_model() -> tuple[ProductionModel, Predictor]:
        """The loaded model while it is current; only loading a new version (seconds) leaves the event loop."""
        loaded = models.loaded_if_current()
        if loaded is None:
            loaded = await run_in_threadpool(loaded_model)
        return loaded

    def respond(
        production: ProductionModel,
        predictor: Predictor,
        probabilities: NDArray[Any],
        per_class: bool,
        intervals: bool = False,
    ) -> Response:
        """The PredictResponse (ValueResponse for a measurement) as JSON, written directly: validating our own output
        again costs more than the model."""
        if predictor.model.is_regression:
            metrics.count_values(probabilities[:, 0])
            predictions = value_predictions(predictor.model, probabilities[:, 0], intervals)
        else:
            labels, predictions = label_predictions(predictor.model, probabilities, per_class)
            metrics.count_predictions(labels)
        body = {"model_version": production.version, "predictions": predictions}
        return Response(_JSON.encode(body).encode(), media_type="application/json")

    def check_outputs(predictor: Predictor, probabilities: bool, intervals: bool) -> None:
        """An output the served model does not have is a 422 naming it, before any scoring."""
        try:
            predictor.model.require_outputs(probabilities, intervals)
        except InputError as error:
            raise HTTPException(422, error.message.replace("--", "")) from error

    def check_rows(rows: int) -> None:
        if rows > max_rows:
            raise HTTPException(413, f"{rows} rows sent; at most {max_rows} per request")

    @app.get("/health")
    def health() -> dict[str, Any]:
        """Liveness: the process answers. Whether it can serve a model is GET /ready."""
        loaded = models.get()
        version = loaded[0].version if loaded else None
        return {"status": "ok", "model_loaded": loaded is not None, "model_version": version}

    @app.get("/ready", response_model=ReadyResponse, responses={503: _ERRORS[503]})
    def ready() -> ReadyResponse:
        """Readiness: 200 while a model is served (an older one if the current version fails to load), else 503."""
        serving, reason = models.readiness()
        if not serving:
            raise HTTPException(503, reason)
        loaded = models.get()
        return ReadyResponse(status="ready", model_version=loaded[0].version if loaded else None, detail=reason)

    @app.get("/model", responses={503: _ERRORS[503]})
    def model_metadata() -> dict[str, Any]:
        return loaded_model()[0].metadata

    # async: a request costs well under a millisecond in onnxruntime, less than a hop to the thread pool.
    @app.post("/predict", response_model=answer, responses=_errors(503, invalid=_RECORDS_422))
    async def predict_records(request: PredictRequest) -> Response:
        check_rows(len(request.records))
        production, predictor = await serving_model()
        check_outputs(predictor, request.probabilities, request.intervals)
        missing_values = schema_of(production).missing_values
        if isinstance(predictor, OnnxPredictor):  # with the requests of this turn of the event loop (api/batching.py)
            feed = predictor.inputs.from_records(request.records, missing_values)
            probabilities = await batched.predict_proba(predictor, feed)
        else:  # the saved pipeline, in a worker thread, with the requests that arrive while it is busy
            frame = predictor.records_frame(request.records, missing_values)
            probabilities = await pooled.predict_proba(predictor, frame)
        if scored.enabled:
            scored.record(pd.DataFrame.from_records(request.records), missing_values)
        return respond(production, predictor, probabilities, request.probabilities, request.intervals)

    @app.post("/predict/csv", response_model=answer, responses=_errors(503, invalid=_CSV_422))
    async def predict_csv(
        file: Annotated[UploadFile, File()], probabilities: bool = False, intervals: bool = False
    ) -> Response:
        content = await file.read(max_upload_bytes + 1)
        if len(content) > max_upload_bytes:
            raise HTTPException(413, f"upload larger than {max_upload_bytes} bytes")
        version = models.current_version()  # the one being served while CURRENT cannot be read
        markers = schema_of(registry.get(version) if version else registry.current()).missing_values
        frame = read_csv_upload(content, markers, settings.config.data_source.input_dialect())
        check_rows(len(frame))
        require_rows(frame, what="the upload")
        production, predictor = await serving_model()
        check_outputs(predictor, probabilities, intervals)
        require_finite(frame, predictor.model.numeric_columns, what="the upload")
        scores = await run_in_threadpool(predictor.predict_proba_frame, frame)
        scored.record(frame)
        return respond(production, predictor, scores, probabilities, intervals)

    def require_token(authorization: str | None) -> None:
        token = settings.environment.train_token
        expected = token.get_secret_value() if token else ""
        if not expected:
            raise HTTPException(403, f"training over HTTP is disabled; set {TRAIN_TOKEN_ENV_VAR} to enable it")
        scheme, _, presented = (authorization or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not secrets.compare_digest(presented.strip().encode(), expected.encode()):
            raise HTTPException(401, "missing or wrong token: send 'Authorization: Bearer <token>'")

    @app.post("/train", status_code=202, response_model=TrainStarted, responses=_errors(401, 403, 409, 503))
    def train(authorization: Annotated[str | None, Header()] = None) -> TrainStarted:
        require_token(authorization)
        job = jobs.start()
        if job is None:
            raise HTTPException(409, "a training run is still running; poll its status, then try again")
        return TrainStarted(run_id=job.run_id, status_url=f"/train/{job.run_id}")

    @app.get("/train/{run_id}", responses=_errors(401, 403, 404))
    def training_status(run_id: str, authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
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
    # The logging config above re-enabled uvicorn's access logger.
    if not required(settings.config.serving, "serving").access_log:
        access = logging.getLogger("uvicorn.access")
        access.handlers, access.propagate = [], False
    return create_app(settings)
