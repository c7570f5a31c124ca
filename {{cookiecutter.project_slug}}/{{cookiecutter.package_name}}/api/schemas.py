"""Request and response bodies of the API, validated by pydantic before any model code runs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# A reading is a number, a missing value (null or a marker such as "na"), or a number sent as text.
Reading = float | int | str | None


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    records: list[dict[str, Reading]] = Field(min_length=1, description="one object per row: column -> reading")


class Prediction(BaseModel):
    label: str
    probability: float


class PredictResponse(BaseModel):
    model_version: str
    predictions: list[Prediction]


class TrainStarted(BaseModel):
    run_id: str
    status_url: str
