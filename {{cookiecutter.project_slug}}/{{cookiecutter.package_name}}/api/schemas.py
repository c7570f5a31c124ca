"""Request and response bodies of the API, validated by pydantic before any model code runs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# A value is a number, a category or boolean, a missing value (null or a marker such as "na"), or a number as text.
Reading = bool | float | int | str | None


class PredictRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    records: list[dict[str, Reading]] = Field(min_length=1, description="one object per row: column -> value")
    probabilities: bool = Field(default=False, description="classes: also return every class's probability")
    intervals: bool = Field(
        default=False, description="a measurement (regression): also return the bounds of the prediction interval"
    )


class Prediction(BaseModel):
    label: str = Field(description="the predicted class, as text")
    probability: float = Field(description="the probability of the predicted class")
    probabilities: dict[str, float] | None = Field(
        default=None, description="class -> probability, when the request asked for probabilities"
    )


class PredictResponse(BaseModel):
    model_version: str
    predictions: list[Prediction]


class ValuePrediction(BaseModel):
    prediction: float = Field(description="the estimated value of the measurement")
    lower: float | None = Field(default=None, description="with intervals: the prediction interval's lower bound")
    upper: float | None = Field(default=None, description="with intervals: the prediction interval's upper bound")


class ValueResponse(BaseModel):
    """The answer of a model of a measurement (regression): one number per record."""

    model_version: str
    predictions: list[ValuePrediction]


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
