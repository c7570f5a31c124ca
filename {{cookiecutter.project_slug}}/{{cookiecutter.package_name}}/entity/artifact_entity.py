"""The output of every component; each is saved as artifacts/<run-id>/<component>/artifact.json."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataIngestionArtifact:
    dataset_path: Path
    train_path: Path
    test_path: Path
    rows: int
    train_rows: int
    test_rows: int
    positive_rate: float
    data_fingerprint: str

    def summary(self) -> str:
        return f"{self.rows} rows ({self.positive_rate:.1%} positive), split {self.train_rows}/{self.test_rows}"


@dataclass(frozen=True)
class DataValidationArtifact:
    train_path: Path
    test_path: Path
    report_path: Path
    profile_path: Path
    drift_detected: bool
    drifted_columns: tuple[str, ...]
    reference_version: str | None

    def summary(self) -> str:
        if self.reference_version is None:
            return "schema valid; no production model yet, so no drift reference"
        drift = ", ".join(self.drifted_columns) if self.drifted_columns else "none"
        return f"schema valid; drift against {self.reference_version}: {drift}"


@dataclass(frozen=True)
class DataTransformationArtifact:
    preprocessor_path: Path
    train_arrays_path: Path
    rows_before_resampling: int
    rows_after_resampling: int
    positive_rate_after_resampling: float

    def summary(self) -> str:
        return (
            f"preprocessor fitted; training rows {self.rows_before_resampling} -> "
            f"{self.rows_after_resampling} ({self.positive_rate_after_resampling:.1%} positive)"
        )


@dataclass(frozen=True)
class ModelTrainerArtifact:
    model_path: Path
    estimator: str
    train_metrics: dict[str, float]

    def summary(self) -> str:
        return f"{self.estimator} trained, train f1={self.train_metrics['f1']:.3f}"


@dataclass(frozen=True)
class ModelEvaluationArtifact:
    report_path: Path
    metric: str
    candidate_metrics: dict[str, float]
    production_metrics: dict[str, float] | None
    production_version: str | None
    accepted: bool
    reason: str

    def summary(self) -> str:
        return ("accepted: " if self.accepted else "rejected: ") + self.reason


@dataclass(frozen=True)
class ModelPusherArtifact:
    version: str | None
    model_dir: Path | None
    metadata_path: Path | None
    # Why nothing was pushed: production moved on during training and the gate, run again, said no.
    rejected_reason: str | None = None

    def summary(self) -> str:
        return f"promoted as {self.version}" if self.version else f"not promoted: {self.rejected_reason}"
