"""The serving floor: an empty FastAPI endpoint taking the project's own request model.

Runs inside the generated project's .venv (imported by uvicorn as `floor_app:app`); the package comes from
BENCHMARK_PACKAGE. It validates the request exactly as the project's POST /predict does and does nothing else.
"""

from __future__ import annotations

import importlib
import os

from fastapi import FastAPI

PredictRequest = importlib.import_module(f"{os.environ['BENCHMARK_PACKAGE']}.api.schemas").PredictRequest

app = FastAPI()


@app.get("/floor")
async def floor() -> dict:
    """Tells the benchmark that the floor, not the project's app, answers on this port."""
    return {"floor": True}


@app.post("/predict")
async def predict(request: PredictRequest) -> dict:
    return {"records": len(request.records)}
