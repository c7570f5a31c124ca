"""The output of every component; each is saved as artifacts/<run-id>/<component>/artifact.json."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SplitSpec:
    """What decided each row's side of a run's train/test split (training/splitting.py), as plain values.

    Two runs whose specs are equal put every row they share on the same side, whatever else changed in the data
    (appended or reordered rows, columns the schema does not name). Runs whose specs differ may have trained on
    rows the other tested on, so their scores on "the test set" are not comparable as they stand.

    - method: "hash" (a hash of `hashed_columns` under `seed` decides; every class is split at `test_size` by
      that same rule) or "time" (the rows at or after `time_cutoff` in `time_column` are the test set).
    - test_size: the share of rows held out; `requested_test_size` is config.yaml's, raised to keep
      `min_test_rows` test rows where the table allows.
    - key_column: the ID whose value alone decides (then `hashed_columns` is just it); None: the schema's feature
      columns and the target.
    - stratified_by: the target column when each class is split on its own, None for a time split.
    """

    method: str
    test_size: float
    requested_test_size: float
    min_test_rows: int
    seed: int | None = None
    key_column: str | None = None
    hashed_columns: tuple[str, ...] = ()
    stratified_by: str | None = None
    time_column: str | None = None
    time_cutoff: str | None = None

    def describe(self) -> str:
        """One line for the run summary: how the sides were chosen."""
        if self.method == "time":
            how = f"newest {self.test_size:.0%} by {self.time_column} (from {self.time_cutoff})"
        else:
            what = (
                f"key {self.key_column}"
                if self.key_column
                else f"{len(self.hashed_columns) - 1} schema columns and the target"
            )
            how = f"{self.test_size:.0%} by a hash of {what}" + (", per class" if self.stratified_by else "")
        if self.test_size != self.requested_test_size:
            how += f", test_size raised from {self.requested_test_size:g} to keep {self.min_test_rows} test rows"
        return how


@dataclass(frozen=True)
class DataIngestionArtifact:
    dataset_path: Path
    train_path: Path
    test_path: Path
    rows: int
    train_rows: int
    test_rows: int
    positive_rate: float | None
    class_counts: dict[str, int]
    data_fingerprint: str
    # How the rows were split: saved with the run (artifact.json) so runs and versions can be told apart by it.
    split_spec: SplitSpec

    def summary(self) -> str:
        shares = ", ".join(f"{label} {count / max(self.rows, 1):.1%}" for label, count in self.class_counts.items())
        shares = f" ({shares})" if shares else ""
        return f"{self.rows} rows{shares}, split {self.train_rows}/{self.test_rows}: {self.split_spec.describe()}"


@dataclass(frozen=True)
class DataValidationArtifact:
    train_path: Path
    test_path: Path
    report_path: Path
    profile_path: Path
    drift_detected: bool
    drifted_columns: tuple[str, ...]
    reference_version: str | None
    new_columns: tuple[str, ...] = ()
    vanished_columns: tuple[str, ...] = ()
    drift_note: str = ""  # why drift was not measured, when it was not

    def summary(self) -> str:
        if self.reference_version is None:
            return f"schema valid; {self.drift_note or 'no production model yet'}, so no drift reference"
        drift = ", ".join(self.drifted_columns) if self.drifted_columns else "none"
        changed = "".join(
            f"; {what} columns: {', '.join(columns)}"
            for what, columns in (("new", self.new_columns), ("vanished", self.vanished_columns))
            if columns
        )
        return f"schema valid; drift against {self.reference_version}: {drift}{changed}"


@dataclass(frozen=True)
class DataTransformationArtifact:
    preprocessor_path: Path
    train_data_path: Path
    rows: int
    class_counts: dict[str, int]
    # Rare classes are oversampled to this share of the largest class inside every fit; None: not at all.
    oversample_ratio: float | None

    def summary(self) -> str:
        resampling = (
            f"rare classes oversampled to {self.oversample_ratio:.0%} of the largest inside each training fold"
            if self.oversample_ratio
            else "no oversampling"
        )
        return f"preprocessing built for {self.rows} training rows; {resampling}"


@dataclass(frozen=True)
class ModelTrainerArtifact:
    model_path: Path
    estimator: str
    train_metrics: dict[str, float]
    threshold: float | None = None
    # A measurement: (coverage, half-width) of its prediction interval.
    interval: tuple[float, float] | None = None

    def summary(self) -> str:
        threshold = f", decision threshold {self.threshold:.3f}" if self.threshold is not None else ""
        metric = "f1" if "f1" in self.train_metrics else "rmse"
        return f"{self.estimator} trained, train {metric}={self.train_metrics[metric]:.4g}{threshold}"


@dataclass(frozen=True)
class ModelEvaluationArtifact:
    report_path: Path
    metric: str
    candidate_metrics: dict[str, float]
    production_metrics: dict[str, float] | None
    production_version: str | None
    accepted: bool
    reason: str
    baseline_metrics: dict[str, float] | None = None
    # How the data contract differs from production's (target, classes, features); None when it is the same.
    contract_change: str | None = None
    # What the candidate relies on (training/importance.py); None when model_evaluation.permutation_importance is off.
    importance_path: Path | None = None

    def summary(self) -> str:
        return ("accepted: " if self.accepted else "rejected: ") + self.reason


@dataclass(frozen=True)
class ModelPusherArtifact:
    version: str | None
    model_dir: Path | None
    # Why nothing was pushed: production moved on during training and the gate, run again, said no.
    rejected_reason: str | None = None

    def summary(self) -> str:
        return f"promoted as {self.version}" if self.version else f"not promoted: {self.rejected_reason}"
