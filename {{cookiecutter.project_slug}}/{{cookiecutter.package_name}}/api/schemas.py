"""Request and response bodies of the API, validated by pydantic before any model code runs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# A value is a number, a category or boolean, a missing value (null or a marker such as "na"), or a number as text.
Reading = bool | float | int | str | None


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    records: list[dict[str, Reading]] = Field(min_length=1, description="one object per row: column -> value")
    probabilities: bool = Field(default=False, description="also return every class's probability")


class Prediction(BaseModel):
    label: str = Field(description="the predicted class, as text")
    probability: float = Field(description="the probability of the predicted class")
    probabilities: dict[str, float] | None = Field(
        default=None, description="class -> probability, when the request asked for probabilities"
    )


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
