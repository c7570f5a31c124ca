"""Step 5 and 6: score the candidate, the production model and trivial baselines on the same test set, decide.

The gate: the first model must beat the best trivial predictor (DummyClassifier) by a margin; later ones must
beat the production model by a margin: `min_improvement` plus a number of standard errors of the score on a
test set this size, so a small, noisy test set asks for a clearer win. An absolute `min_score` is available, off by
default. So a model that always answers the majority class can never be promoted, whatever its accuracy.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from ..entity.artifact_entity import (
    DataValidationArtifact,
    ModelEvaluationArtifact,
    ModelTrainerArtifact,
)
from ..entity.config_entity import LOWER_IS_BETTER, METRIC_NAMES, REGRESSION_METRICS, ModelEvaluationConfig
from ..exception import ConfigError, PipelineError
from ..inference.labels import target_array
from ..inference.model import TabularModel
from ..logger import get_logger
from ..registry.model_registry import ProductionModel
from ..reports.plots import write_evaluation_plots
from ..training.importance import IMPORTANCE_FILE, permutation_importance, write_importance
from ..training.intervals import interval_coverage
from ..training.metrics import BINARY_ONLY_METRICS, improvement, standard_error
from ..training.regression_metrics import regression_standard_error
from ..training.scoring import (
    Scored,
    baseline_scores,
    regression_baseline_scores,
    score_model,
    score_predictions,
)
from ..utils.files import write_json
from ..utils.frames import read_csv_file

logger = get_logger(__name__)


class ModelEvaluation:
    def __init__(
        self, config: ModelEvaluationConfig, validation: DataValidationArtifact, trainer: ModelTrainerArtifact
    ) -> None:
        if config.metric not in METRIC_NAMES:
            raise ConfigError(f"config/config.yaml: model_evaluation.metric must be one of {', '.join(METRIC_NAMES)}")
        if config.data_schema.is_regression != (config.metric in REGRESSION_METRICS):
            kind = "a measurement (regression)" if config.data_schema.is_regression else "classes"
            fitting = sorted(REGRESSION_METRICS) if config.data_schema.is_regression else ["f1", "accuracy", "..."]
            raise ConfigError(
                f"config/config.yaml: model_evaluation.metric '{config.metric}' does not fit the schema's target, "
                f"{kind}: use {', '.join(fitting)} (`schema` chooses one)"
            )
        if config.metric in BINARY_ONLY_METRICS and not config.data_schema.is_binary:
            raise ConfigError(
                f"config/config.yaml: model_evaluation.metric '{config.metric}' needs two classes; "
                f"the schema has {len(config.data_schema.classes)} (use f1, which is then the macro average)"
            )
        self.config = config
        self.validation = validation
        self.trainer = trainer

    def run(self) -> ModelEvaluationArtifact:
        """The gate's verdict, and what the candidate relies on when permutation importance is on."""
        evaluated = self._evaluate()
        if not self.config.permutation_importance:
            return evaluated
        return dataclasses.replace(evaluated, importance_path=self._importance())

    def _importance(self) -> Path:
        schema = self.config.data_schema
        test = read_csv_file(self.validation.test_path, schema.missing_values)
        model = TabularModel.load(self.trainer.model_path)
        found = permutation_importance(
            model, test, schema.target, self.config.metric, self.config.costs, random_state=self.config.random_state
        )
        return write_importance(self.config.output_dir / IMPORTANCE_FILE, found)

    def _evaluate(self) -> ModelEvaluationArtifact:
        schema, metric = self.config.data_schema, self.config.metric
        test = read_csv_file(self.validation.test_path, schema.missing_values)
        costs = self.config.costs
        model = TabularModel.load(self.trainer.model_path)
        candidate = score_predictions(model, test, schema.target, costs)
        train = read_csv_file(self.validation.train_path, schema.missing_values)
        if schema.is_regression:
            if metric not in candidate.metrics:
                raise ConfigError(f"config/config.yaml: model_evaluation.metric '{metric}' needs a target above zero")
            baseline_name, baseline = regression_baseline_scores(target_array(train, schema), candidate.truth, metric)
        else:
            baseline_name, baseline = baseline_scores(
                target_array(train, schema),
                candidate.truth,
                schema.classes,
                metric,
                self.config.random_state,
                costs,
            )
        change, split_change = self._contract_change(), self._split_change()
        production = None if change or split_change else self._production_scores(test)
        margin = self._margin(candidate)
        accepted, reason = self._decide(candidate.metrics, baseline_name, baseline, production, margin)
        if change:
            reason += f"; the data contract changed since {self.config.production_version} ({change})"
        elif split_change:
            # Production may have trained on rows of this test set: its score here would flatter it.
            reason += f"; the split changed since {self.config.production_version} ({split_change})"

        report_path = self.config.output_dir / "report.json"
        write_json(
            report_path,
            {
                "metric": metric,
                "classes": list(schema.classes),
                "test_rows": len(test),
                "candidate": candidate.metrics,
                "baseline": {"strategy": baseline_name, "metrics": baseline},
                "production": production,
                "production_version": self.config.production_version,
                "data_contract": schema.contract,
                "data_contract_change": change,
                "split_change": split_change,
                "margin": margin,
                "threshold": self.trainer.threshold,
                "confusion_matrix": None if schema.is_regression else _confusion(candidate, schema.classes),
                "interval": _interval(model, candidate),
                "accepted": accepted,
                "reason": reason,
            },
        )
        # Production is drawn only where it scored these rows: not under another data contract.
        plotted: dict[str, Path | None] = {"candidate": self.trainer.model_path}
        if production is not None:
            plotted["production"] = self.config.production_model_path
        write_evaluation_plots(self.config.output_dir, test, schema.target, plotted, metric, costs)
        return ModelEvaluationArtifact(
            report_path=report_path,
            metric=metric,
            candidate_metrics=candidate.metrics,
            production_metrics=production,
            production_version=self.config.production_version,
            accepted=accepted,
            reason=reason,
            baseline_metrics=baseline,
            contract_change=change,
        )

    def regate(self, production: ProductionModel) -> tuple[bool, str]:
        """The gate again, on the same test set, against a production model promoted while this one trained."""
        moved = self.config.model_copy(
            update={
                "production_model_path": production.model_path,
                "production_version": production.version,
                "production_schema": production.data_schema,
                "production_split_settings": production.metadata.get("split_settings"),
            }
        )
        verdict = ModelEvaluation(moved, self.validation, self.trainer)._evaluate()  # importance: the candidate's, kept
        return verdict.accepted, verdict.reason

    def _split_change(self) -> str | None:
        """How this run's split settings differ from those production was trained under (None: the same, or unknown
        for versions that did not keep them)."""
        before, now = self.config.production_split_settings, self.config.split_settings
        if not isinstance(before, dict) or before == now:
            return None
        changed = sorted(key for key in now.keys() | before.keys() if now.get(key) != before.get(key))
        return ", ".join(f"{key} {before.get(key)} -> {now.get(key)}" for key in changed)

    def _contract_change(self) -> str | None:
        """How this run's data contract differs from production's; then the candidate is gated against the trivial
        baselines only (production never saw this kind of table). None when it is the same, or unknown."""
        before = self.config.production_schema
        changes = self.config.data_schema.contract_changes(before) if before is not None else []
        if not changes:
            return None
        change = "; ".join(changes)
        logger.info(
            "data contract changed since %s (%s): gated against the trivial baselines only",
            self.config.production_version,
            change,
        )
        return change

    def _production_scores(self, test: pd.DataFrame) -> dict[str, float] | None:
        """The production model on the same rows; None if there is none or it cannot read the new schema."""
        if self.config.production_model_path is None:
            return None
        production = TabularModel.load(self.config.production_model_path)
        if tuple(production.classes) != tuple(self.config.data_schema.classes) or production.is_regression != (
            self.config.data_schema.is_regression
        ):
            logger.warning(
                "production model %s has other classes: compared with the baseline only", self.config.production_version
            )
            return None
        try:
            return score_model(production, test, self.config.data_schema.target, self.config.costs)
        except PipelineError as exc:
            logger.warning(
                "production model %s cannot score the test set (%s): compared with the baseline only",
                self.config.production_version,
                exc,
            )
            return None

    def _margin(self, candidate: Scored) -> float:
        """How far ahead the candidate must be: `min_improvement` plus `standard_errors` times the score's noise."""
        metric = self.config.metric
        if self.config.data_schema.is_regression:
            noise = regression_standard_error(metric, candidate.truth, candidate.predicted)
            return round(self.config.min_improvement + self.config.standard_errors * noise, 6)
        noise = standard_error(
            metric,
            candidate.metrics[metric],
            candidate.truth,
            candidate.predicted,
            len(self.config.data_schema.classes),
            self.config.costs,
        )
        return round(self.config.min_improvement + self.config.standard_errors * noise, 6)

    def _decide(
        self,
        candidate: dict[str, float],
        baseline_name: str,
        baseline: dict[str, float],
        production: dict[str, float] | None,
        margin: float,
    ) -> tuple[bool, str]:
        metric, minimum = self.config.metric, self.config.min_score
        score = candidate[metric]
        if minimum is not None:
            meets_minimum = score <= minimum if metric in LOWER_IS_BETTER else score >= minimum
            if not meets_minimum:
                return False, f"candidate {metric}={score:.4f} does not reach the minimum {minimum}"
        if production is None:
            versus = f"the best trivial baseline ({baseline_name}, {metric}={baseline[metric]:.4f})"
            reference = baseline
        else:
            versus = f"production {self.config.production_version} ({metric}={production[metric]:.4f})"
            reference = production
        gain = improvement(metric, score, reference[metric])
        if gain < margin:
            return False, f"candidate {metric}={score:.4f} does not beat {versus} by the margin {margin:.4f}"
        return True, f"candidate {metric}={score:.4f} beats {versus} by {gain:.4f} (margin {margin:.4f})"


def _confusion(scored: Scored, classes: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """truth label -> predicted label -> rows, readable in the JSON report."""
    return {
        truth: {
            predicted: int(((scored.truth == row) & (scored.predicted == column)).sum())
            for column, predicted in enumerate(classes)
        }
        for row, truth in enumerate(classes)
    }


def _interval(model: TabularModel, scored: Scored) -> dict[str, float] | None:
    """A measurement's prediction interval: the coverage asked for, its half-width, and the coverage measured on the
    test rows (close to the nominal one when the test rows are like the training rows)."""
    if not model.is_regression or model.interval is None:
        return None
    coverage, half_width = model.interval
    measured = interval_coverage(scored.truth, scored.predicted, half_width)
    return {"coverage": coverage, "half_width": round(half_width, 6), "measured_coverage": round(measured, 4)}
