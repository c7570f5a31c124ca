"""Step 2: check the split data against the schema and measure drift against the production model's data."""

from __future__ import annotations

import pandas as pd

from {{ cookiecutter.package_name }}.entity.artifact_entity import DataIngestionArtifact, DataValidationArtifact
from {{ cookiecutter.package_name }}.entity.config_entity import DataValidationConfig
from {{ cookiecutter.package_name }}.exception import DataValidationError, InputError
from {{ cookiecutter.package_name }}.logger import get_logger
from {{ cookiecutter.package_name }}.ml.drift import build_profile, drift_by_column
from {{ cookiecutter.package_name }}.reports.html_report import write_validation_html
from {{ cookiecutter.package_name }}.utils.files import read_json, write_json, write_yaml
from {{ cookiecutter.package_name }}.utils.frames import coerce_numeric, read_csv_file, require_columns

logger = get_logger(__name__)


class DataValidation:
    def __init__(self, config: DataValidationConfig, ingestion: DataIngestionArtifact) -> None:
        self.config = config
        self.ingestion = ingestion

    def run(self) -> DataValidationArtifact:
        schema = self.config.schema
        output = self.config.output_dir
        output.mkdir(parents=True, exist_ok=True)
        report_path, profile_path = output / "report.yaml", output / "profile.json"

        problems: list[str] = []
        frames = {}
        for name, path in (("train", self.ingestion.train_path), ("test", self.ingestion.test_path)):
            frame = read_csv_file(path, schema.missing_values)
            problems += self._problems(name, frame)
            frames[name] = frame
        missing = {column: round(float(frames["train"][column].isna().mean()), 4)
                   for column in schema.feature_columns if column in frames["train"].columns}
        too_empty = [column for column, share in missing.items() if share > self.config.max_missing_fraction]
        if too_empty:
            problems.append(
                f"columns missing in more than {self.config.max_missing_fraction:.0%} of rows: "
                f"{', '.join(too_empty)} (add them to drop_columns in config/schema.yaml)"
            )
        report = {"status": "failed" if problems else "passed", "problems": problems,
                  "rows": {name: len(frame) for name, frame in frames.items()}, "missing_fraction": missing}
        if problems:
            write_yaml(report_path, report)
            write_validation_html(output / "report.html", report, frames.get("train"), None)
            raise DataValidationError(f"data validation failed: {'; '.join(problems)} (report: {report_path})")

        train_features = coerce_numeric(frames["train"], schema.feature_columns)
        drifted, drift_detected = self._drift(train_features, report)
        write_json(profile_path, build_profile(train_features, schema.feature_columns))
        write_yaml(report_path, report)
        write_validation_html(output / "report.html", report, train_features, self.config.reference_profile_path)
        if drift_detected and self.config.fail_on_drift:
            raise DataValidationError(f"data drift against {self.config.reference_version} in: {', '.join(drifted)}")
        return DataValidationArtifact(
            train_path=self.ingestion.train_path,
            test_path=self.ingestion.test_path,
            report_path=report_path,
            profile_path=profile_path,
            drift_detected=drift_detected,
            drifted_columns=tuple(drifted),
            reference_version=self.config.reference_version,
        )

    def _problems(self, name: str, frame: pd.DataFrame) -> list[str]:
        """Every problem of one data set, so a user fixes them all in one go."""
        schema = self.config.schema
        try:
            require_columns(frame, [*schema.columns, schema.target], what=f"{name} data")
            coerce_numeric(frame, schema.feature_columns, what=f"{name} data")
        except InputError as exc:
            return [exc.message]
        labels = set(frame[schema.target].astype(str))
        problems = []
        unknown = sorted(labels - {schema.positive_label, schema.negative_label})
        if unknown:
            problems.append(f"{name} data has unknown '{schema.target}' values: {', '.join(unknown)}")
        if schema.positive_label not in labels or schema.negative_label not in labels:
            problems.append(f"{name} data needs both '{schema.positive_label}' and '{schema.negative_label}' rows")
        return problems

    def _drift(self, train_features: pd.DataFrame, report: dict) -> tuple[list[str], bool]:
        """Compare the features (never the target) with the reference profile, when there is one."""
        path = self.config.reference_profile_path
        if path is None or not path.is_file():
            report["drift"] = {"reference_version": None, "note": "no production model yet"}
            return [], False
        psi = drift_by_column(read_json(path), train_features)
        drifted = sorted(column for column, value in psi.items() if value > self.config.psi_threshold)
        share = len(drifted) / max(len(psi), 1)
        detected = share > self.config.max_drifted_share
        report["drift"] = {
            "reference_version": self.config.reference_version,
            "psi_threshold": self.config.psi_threshold,
            "drifted_columns": drifted,
            "drifted_share": round(share, 4),
            "drift_detected": detected,
            "psi": psi,
        }
        if drifted:
            logger.warning("drift against %s in %s", self.config.reference_version, ", ".join(drifted))
        return drifted, detected
