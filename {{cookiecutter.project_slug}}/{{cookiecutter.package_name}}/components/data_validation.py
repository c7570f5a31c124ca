"""Step 2: check the split data against the schema and measure drift against the production model's data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..entity.artifact_entity import (
    DataIngestionArtifact,
    DataValidationArtifact,
)
from ..entity.config_entity import DataValidationConfig
from ..exception import DataValidationError, InputError
from ..inference.labels import encode_labels
from ..logger import get_logger
from ..monitoring.drift import (
    build_profile,
    column_changes,
    drift_verdict,
    target_profile,
    target_shift,
)
from ..reports.html_report import write_validation_html
from ..training.leakage import find_leaks, quartile_classes
from ..utils.files import read_json, write_json, write_yaml
from ..utils.frames import (
    coerce_numeric,
    read_csv_file,
    require_columns,
    typed_features,
)
from ..utils.labels import match_labels

logger = get_logger(__name__)


class DataValidation:
    def __init__(self, config: DataValidationConfig, ingestion: DataIngestionArtifact) -> None:
        self.config = config
        self.ingestion = ingestion

    def run(self) -> DataValidationArtifact:
        schema = self.config.data_schema
        output = self.config.output_dir
        output.mkdir(parents=True, exist_ok=True)
        report_path, profile_path = output / "report.yaml", output / "profile.json"

        problems: list[str] = []
        frames = {}
        for name, path in (("train", self.ingestion.train_path), ("test", self.ingestion.test_path)):
            frame = read_csv_file(path, schema.missing_values)
            problems += self._problems(name, frame)
            frames[name] = frame
        missing = {
            column: round(float(frames["train"][column].isna().mean()), 4)
            for column in schema.feature_columns
            if column in frames["train"].columns
        }
        too_empty = [column for column, share in missing.items() if share > self.config.max_missing_fraction]
        if too_empty:
            problems.append(
                f"columns missing in more than {self.config.max_missing_fraction:.0%} of rows: "
                f"{', '.join(too_empty)} (add them to drop_columns in config/schema.yaml)"
            )
        report = {
            "status": "failed" if problems else "passed",
            "problems": problems,
            "rows": {name: len(frame) for name, frame in frames.items()},
            "missing_fraction": missing,
        }
        if problems:
            write_yaml(report_path, report)
            write_validation_html(output / "report.html", report, frames.get("train"), None)
            raise DataValidationError(f"data validation failed: {'; '.join(problems)} (report: {report_path})")

        train_features = typed_features(frames["train"], schema.feature_types)
        raw_columns = [column for column in frames["train"].columns if column != schema.target]
        profile = build_profile(train_features, schema.feature_types)
        profile["columns"] = [str(column) for column in raw_columns]
        targets = frames["train"][schema.target]
        profile["target"] = target_profile(targets, schema.is_regression)
        drifted, drift_detected, new, vanished = self._drift(train_features, raw_columns, report)
        self._target_shift(targets, report)
        self._leaks(train_features, frames["train"][schema.target], report)
        write_json(profile_path, profile)
        write_yaml(report_path, report)
        write_validation_html(output / "report.html", report, train_features, self.config.reference_profile_path)
        drift_reference, drift_note = self._drift_reference(report)
        if drift_detected and self.config.drift.fail_on_drift:
            raise DataValidationError(f"data drift against {self.config.reference_version} in: {', '.join(drifted)}")
        return DataValidationArtifact(
            train_path=self.ingestion.train_path,
            test_path=self.ingestion.test_path,
            report_path=report_path,
            profile_path=profile_path,
            drift_detected=drift_detected,
            drifted_columns=tuple(drifted),
            drift_note=drift_note,
            reference_version=drift_reference,
            new_columns=tuple(new),
            vanished_columns=tuple(vanished),
        )

    def _problems(self, name: str, frame: pd.DataFrame) -> list[str]:
        """Every problem of one data set, so a user fixes them all in one go."""
        schema = self.config.data_schema
        try:
            require_columns(frame, [*schema.columns, schema.target], what=f"{name} data")
            typed_features(frame, schema.feature_types, what=f"{name} data")
            if schema.is_regression:  # a measurement: numbers, any value
                coerce_numeric(frame, [schema.target], what=f"{name} data's target")
        except InputError as exc:
            return [exc.message]
        if schema.is_regression:
            return []
        labels, text = match_labels(frame[schema.target], schema.classes)
        problems = []
        unknown = sorted(set(text[labels.isna()].dropna()))
        if unknown:
            problems.append(
                f"{name} data has '{schema.target}' values that are not in the schema's classes: "
                f"{', '.join(unknown[:10])} (list them under target.classes in config/schema.yaml)"
            )
        if name == "train":
            absent = [label for label in schema.classes if not (labels == label).any()]
            if absent:
                problems.append(f"train data has no '{schema.target}' rows of class: {', '.join(absent)}")
        return problems

    @staticmethod
    def _drift_reference(report: dict[str, Any]) -> tuple[str | None, str]:
        """The version drift was measured against (None when it was not), and why not."""
        drift = report["drift"]
        version = drift.get("reference_version")
        return (str(version) if version else None), str(drift.get("note", ""))

    def _leaks(self, train_features: pd.DataFrame, labels: pd.Series, report: dict[str, Any]) -> None:
        """Warn, naming the column, when one feature alone predicts the target almost perfectly (a leak)."""
        schema = self.config.data_schema
        if schema.is_regression:
            classes = quartile_classes(pd.to_numeric(labels, errors="coerce").to_numpy(dtype=float))
        else:
            classes = encode_labels(labels, schema.classes)
        leaks = find_leaks(train_features, classes, schema.feature_types)
        report["leaks"] = [leak.describe() for leak in leaks]
        for leak in leaks:
            logger.warning("possible leak: %s", leak.describe())

    def _target_shift(self, targets: pd.Series, report: dict[str, Any]) -> None:
        """The target's PSI against the reference's (when it kept one), beside the drift verdict."""
        path = self.config.reference_profile_path
        reference = _read_profile(path) if path is not None else None
        if reference is None:
            return
        shift = target_shift(reference, targets, self.config.data_schema.is_regression)
        report.setdefault("drift", {})["target_psi"] = shift
        if shift is not None and shift > self.config.drift.psi_threshold:
            logger.warning("the target's distribution moved since %s (PSI %.3f)", self.config.reference_version, shift)

    def _drift(
        self, train_features: pd.DataFrame, raw_columns: list[str], report: dict[str, Any]
    ) -> tuple[list[str], bool, list[str], list[str]]:
        """Compare the features with the reference profile, when there is one (the target's shift is reported apart,
        `_target_shift`)."""
        path, version = self.config.reference_profile_path, self.config.reference_version
        reference = _read_profile(path) if path is not None else None
        if reference is None:
            note = "no production model yet" if path is None else f"no reference: {version} has no readable {path.name}"
            if path is not None:
                logger.warning("%s, so drift is not measured", note)
            report["drift"] = {"reference_version": None, "note": note}
            return [], False, [], []
        verdict = drift_verdict(
            reference,
            train_features,
            psi_threshold=self.config.drift.psi_threshold,
            missing_share_threshold=self.config.drift.missing_share_threshold,
            max_drifted_share=self.config.drift.max_drifted_share,
        )
        new, vanished = column_changes(reference, raw_columns)
        drifted, detected = verdict.drifted_columns, verdict.detected
        report["drift"] = {
            "reference_version": self.config.reference_version,
            **verdict.report(),
            "new_columns": new,
            "vanished_columns": vanished,
        }
        if drifted:
            logger.warning("drift against %s in %s", self.config.reference_version, ", ".join(drifted))
        if new or vanished:
            logger.warning(
                "columns changed since %s: new %s, vanished %s",
                self.config.reference_version,
                ", ".join(new) or "none",
                ", ".join(vanished) or "none",
            )
        return drifted, detected, new, vanished


def _read_profile(path: Path) -> dict[str, Any] | None:
    """A production model's training profile; None when it is missing or unreadable (then there is no reference)."""
    try:
        profile = read_json(path)
    except (OSError, ValueError):
        return None
    return profile if isinstance(profile, dict) else None
