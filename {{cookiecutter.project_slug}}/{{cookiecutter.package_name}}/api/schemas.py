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


class FieldProblem(BaseModel):
    loc: list[str] = Field(description="where in the request, e.g. ['body', 'records', '0', 'aa_000']")
    msg: str
    type: str


class ErrorResponse(BaseModel):
    """Every 4xx and 5xx answer: `detail` says what is wrong; `errors` lists each invalid field (422)."""

    detail: str
    errors: list[FieldProblem] | None = None


class ReadyResponse(BaseModel):
    status: str
    model_version: str | None
    detail: str
