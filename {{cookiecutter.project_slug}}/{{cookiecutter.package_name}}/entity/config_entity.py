"""The input of every component, and the one definition of every setting it reads.

A component's config entity is the section of config/*.yaml it reads (validated as that section when the file is
loaded) plus what the run adds (where to write, the schema, the production model). `configuration/` loads the
sections; `pipeline/training_config.py` adds the run's part. A setting is declared once, here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .data_schema import DataSchema

# How categories reach the estimator: one-hot columns, or pandas `category` columns for libraries that split on them.
CategoricalEncoding = Literal["onehot", "native"]
# How rows are split into train and test: by a hash of each row (or of its key), or by time.
SplitMethod = Literal["hash", "time"]
# Metrics the gate and `tune` can optimise; lower is better for those in LOWER_IS_BETTER. The last four are for a
# measurement (regression), the others for classes.
MetricName = Literal["f1", "precision", "recall", "accuracy", "roc_auc", "cost", "rmse", "mae", "r2", "mape"]
METRIC_NAMES: tuple[str, ...] = get_args(MetricName)
REGRESSION_METRICS = frozenset({"rmse", "mae", "r2", "mape"})
LOWER_IS_BETTER = frozenset({"cost", "rmse", "mae", "mape"})
# A number written as text the way a person means one: ASCII digits, a sign, a point, an exponent. pydantic also reads
# `1_000`, spaces around it and digits of other scripts.
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class StrictSettings(BaseModel):
    """Base of every settings section and config entity: unknown keys are errors, values cannot change after
    loading. (`model_*` field names are ours, not pydantic's.)"""

    model_config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())

    @field_validator("*", mode="before")
    @classmethod
    def _no_yes_no_for_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        """YAML's `true` is no number: pydantic would read it as 1 where an int or a float is expected; nor is text
        such as `1_000` or `1:20` (numbers to YAML 1.1, text to the loader: see utils/files.py)."""
        if isinstance(value, (bool, str)) and info.field_name is not None:
            annotation = cls.model_fields[info.field_name].annotation
            accepted = {annotation, *get_args(annotation)}
            if not accepted & {int, float} or type(value) in accepted:
                return value
            if isinstance(value, bool):
                raise ValueError("expected a number, not true/false")
            if not _PLAIN_NUMBER.fullmatch(value):
                wanted = "a number" if float in accepted else "an integer"
                raise ValueError(f"expected {wanted} written with the digits 0-9")
        return value


class TrainingPipelineConfig(StrictSettings):
    project_root: Path
    run_id: str
    artifact_dir: Path


class DataIngestionSettings(StrictSettings):
    """`data_ingestion` in config/config.yaml: how rows are split into train and test (see training/splitting.py)."""

    # hash: a hash of each row decides its side, each class split at test_size; time: the newest rows are the test set.
    split: SplitMethod = "hash"
    test_size: float = Field(gt=0, lt=1)
    # The test set is raised to this many rows where the table allows (never beyond half of it): few test rows make
    # the gate's score noisy. 0: test_size alone.
    min_test_rows: int = Field(default=400, ge=0)
    random_state: int
    # Column whose value alone decides a row's side of the hash split (an ID); None: the schema's feature columns and
    # the target, so a column the schema does not name never moves a row.
    key_column: str | None = None
    # `split: time`: the column (dates, timestamps or numbers) that orders the rows; the newest are the test set.
    time_column: str | None = None

    @model_validator(mode="after")
    def _time_needs_a_column(self) -> DataIngestionSettings:
        if self.split == "time" and not self.time_column:
            raise ValueError("split: time needs time_column: the column that orders the rows (dates or numbers)")
        return self

    def split_settings(self) -> dict[str, Any]:
        """What decides each row's side, kept with every production version: under equal settings (and one data
        contract) a row the production model trained on is never in a later run's test set."""
        return self.model_dump(mode="json")


class DataIngestionConfig(DataIngestionSettings):
    output_dir: Path
    data_schema: DataSchema


class DriftSettings(StrictSettings):
    """`data_validation.drift` in config/config.yaml: what counts as drift, for validation and `monitor` alike."""

    psi_threshold: float = Field(ge=0)
    max_drifted_share: float = Field(ge=0, le=1)
    fail_on_drift: bool = False
    missing_share_threshold: float = Field(default=0.1, ge=0, le=1)


class DataValidationSettings(StrictSettings):
    """`data_validation` in config/config.yaml."""

    max_missing_fraction: float = Field(ge=0, le=1)
    drift: DriftSettings


class DataValidationConfig(DataValidationSettings):
    output_dir: Path
    data_schema: DataSchema
    # Profile of the production model's training data; None before the first promotion.
    reference_profile_path: Path | None = None
    reference_version: str | None = None


class DataTransformationSettings(StrictSettings):
    """`data_transformation` in config/config.yaml."""

    oversample_minority: bool
    minority_ratio: float = Field(gt=0, le=1)

    @property
    def oversample_ratio(self) -> float | None:
        """Rows of each rarer class per row of the largest class after oversampling; None: no oversampling."""
        return self.minority_ratio if self.oversample_minority else None


class DataTransformationConfig(DataTransformationSettings):
    output_dir: Path
    data_schema: DataSchema
    categorical_encoding: CategoricalEncoding = "onehot"


class SearchDimension(StrictSettings):
    """One hyperparameter `tune` searches: a number range (`log` for scale-like ones) or a list of choices."""

    type: Literal["int", "float", "categorical"]
    low: float | None = None
    high: float | None = None
    log: bool = False
    choices: list[Any] | None = None

    @model_validator(mode="after")
    def _range_or_choices(self) -> SearchDimension:
        if self.type == "categorical":
            if not self.choices:
                raise ValueError("a categorical dimension needs a non-empty list of choices")
        elif self.low is None or self.high is None or not self.low < self.high:
            raise ValueError(f"an {self.type} dimension needs low < high")
        elif self.log and self.low <= 0:
            raise ValueError("a log-scaled dimension needs low > 0")
        return self


class ModelSettings(StrictSettings):
    """config/model_config.yaml: which estimator `train` fits, with which seed, the keyword arguments of each
    estimator, and what `tune` searches for each."""

    estimator: str
    random_state: int = 42
    tune_threshold: bool = True
    threshold_folds: int = Field(default=3, ge=2, le=20)
    interval_coverage: float = Field(default=0.9, gt=0, lt=1)
    params: dict[str, dict[str, Any]] = Field(default_factory=dict)
    search_space: dict[str, dict[str, SearchDimension]] = Field(default_factory=dict)

    @property
    def estimator_params(self) -> dict[str, Any]:
        """The keyword arguments of the chosen estimator."""
        return dict(self.params.get(self.estimator, {}))


class ModelTrainerConfig(ModelSettings):
    output_dir: Path
    model_dir: Path
    data_schema: DataSchema
    metric: MetricName = "f1"  # the gate's metric: the decision threshold is tuned for it
    costs: MisclassificationCosts | None = None  # the gate's costs (model_evaluation.costs), for the metric cost


class MisclassificationCosts(StrictSettings):
    """`model_evaluation.costs` in config/config.yaml: what one wrong answer costs (two classes). Set, they add the
    metric `cost`, the sum over the rows; unset, no cost is reported (a cost means something only for your data)."""

    false_positive: float = Field(ge=0, description="a row predicted positive that is not")
    false_negative: float = Field(ge=0, description="a positive row that was missed")


class ModelEvaluationSettings(StrictSettings):
    """`model_evaluation` in config/config.yaml: the gate."""

    metric: MetricName
    min_improvement: float
    standard_errors: float = Field(default=1.0, ge=0)
    min_score: float | None = None
    costs: MisclassificationCosts | None = None
    # The run page's "what the model relies on": shuffles each column several times on the test rows (seconds per
    # run); tests that train again and again turn it off.
    permutation_importance: bool = True

    @model_validator(mode="after")
    def _costs_for_cost(self) -> ModelEvaluationSettings:
        if self.metric == "cost" and self.costs is None:
            raise ValueError("metric `cost` needs `costs: {false_positive: ..., false_negative: ...}`")
        return self


class ModelEvaluationConfig(ModelEvaluationSettings):
    output_dir: Path
    data_schema: DataSchema
    random_state: int = 42
    production_model_path: Path | None = None
    production_version: str | None = None
    # The schema production was trained with; None before the first promotion or for versions that did not keep it.
    production_schema: DataSchema | None = None
    # The split of this run and the one production was trained under (None: unknown). When they differ, production may
    # have trained on rows of this test set, and the candidate is gated against the trivial baselines only.
    split_settings: dict[str, Any] = Field(default_factory=dict)
    production_split_settings: dict[str, Any] | None = None


class RemoteStorageConfig(StrictSettings):
    """`storage.s3` in config/config.yaml: where the copy of artifacts and models lives; credentials are not here,
    they come from the AWS chain."""

    bucket: str = Field(min_length=3, max_length=63)
    prefix: str = ""
    endpoint_url: str | None = None

    @field_validator("endpoint_url")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None


class ModelPusherConfig(StrictSettings):
    output_dir: Path
    run_id: str
    package_version: str
    template_version: str
    data_schema: DataSchema  # kept with the version: what `predict`, `serve` and `monitor` read its input with
    split_settings: dict[str, Any]  # kept with the version: what its test set was split by
