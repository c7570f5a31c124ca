"""Step 5 and 6: score the candidate and the production model on the same held-out test set, then decide."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }}.entity.artifact_entity import (
    DataValidationArtifact,
    ModelEvaluationArtifact,
    ModelTrainerArtifact,
)
from {{ cookiecutter.package_name }}.entity.config_entity import ModelEvaluationConfig
from {{ cookiecutter.package_name }}.exception import ConfigError
from {{ cookiecutter.package_name }}.ml.metrics import LOWER_IS_BETTER, METRIC_NAMES, classification_metrics, improvement
from {{ cookiecutter.package_name }}.ml.model import SensorModel
from {{ cookiecutter.package_name }}.reports.plots import write_evaluation_plots
from {{ cookiecutter.package_name }}.utils.files import write_json
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file


def score_model(model_path: Path, test: pd.DataFrame, target: str, positive_label: str) -> dict[str, float]:
    model = SensorModel.load(model_path)
    truth = (test[target].astype(str) == positive_label).astype(int).to_numpy()
    predicted, probability = model.predict_encoded(test)
    return classification_metrics(truth, predicted, probability)


class ModelEvaluation:
    def __init__(
        self, config: ModelEvaluationConfig, validation: DataValidationArtifact, trainer: ModelTrainerArtifact
    ) -> None:
        if config.metric not in METRIC_NAMES:
            raise ConfigError(f"config/config.yaml: model_evaluation.metric must be one of {', '.join(METRIC_NAMES)}")
        self.config = config
        self.validation = validation
        self.trainer = trainer

    def run(self) -> ModelEvaluationArtifact:
        schema = self.config.schema
        test = read_csv_file(self.validation.test_path, schema.missing_values)
        candidate = score_model(self.trainer.model_path, test, schema.target, schema.positive_label)
        production = None
        if self.config.production_model_path is not None:
            production = score_model(self.config.production_model_path, test, schema.target, schema.positive_label)
        accepted, reason = self._decide(candidate, production)

        report_path = self.config.output_dir / "report.json"
        write_json(report_path, {"metric": self.config.metric, "candidate": candidate, "production": production,
                                 "production_version": self.config.production_version,
                                 "accepted": accepted, "reason": reason})
        plotted = {"candidate": self.trainer.model_path, "production": self.config.production_model_path}
        write_evaluation_plots(self.config.output_dir, test, schema.target, plotted)
        return ModelEvaluationArtifact(
            report_path=report_path,
            metric=self.config.metric,
            candidate_metrics=candidate,
            production_metrics=production,
            production_version=self.config.production_version,
            accepted=accepted,
            reason=reason,
        )

    def _decide(self, candidate: dict[str, float], production: dict[str, float] | None) -> tuple[bool, str]:
        """The model validation gate: a minimum score, then a minimum gain over production."""
        metric, minimum = self.config.metric, self.config.min_score
        score = candidate[metric]
        meets_minimum = score <= minimum if metric in LOWER_IS_BETTER else score >= minimum
        if not meets_minimum:
            return False, f"candidate {metric}={score:.4f} does not reach the minimum {minimum}"
        if production is None:
            return True, f"candidate {metric}={score:.4f} meets the minimum {minimum}; no production model yet"
        baseline = production[metric]
        gain = improvement(metric, score, baseline)
        versus = f"production {self.config.production_version} ({metric}={baseline:.4f})"
        if gain < self.config.min_improvement:
            return False, (
                f"candidate {metric}={score:.4f} is not better than {versus} "
                f"by at least {self.config.min_improvement}"
            )
        return True, f"candidate {metric}={score:.4f} beats {versus} by {gain:.4f}"
