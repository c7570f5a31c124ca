"""Writes artifacts/<run-id>/report.html at the end of a `train` run, from what the steps left: the gate's
report.json and importance.json, the validation's report.yaml and profiles, the artifact entities and the step
durations.

A report is never worth a failed run: any error here is one warning line, and the run goes on without the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..configuration import Settings
from ..constants import TEMPLATE_VERSION
from ..constants.answers import VERSION
from ..entity.artifact_entity import (
    DataIngestionArtifact,
    DataValidationArtifact,
    ModelEvaluationArtifact,
    ModelTrainerArtifact,
)
from ..logger import get_logger
from ..reports.data_section import data_section
from ..reports.plots import PLOT_FILES, REGRESSION_PLOT_FILES, THRESHOLD_FILE
from ..reports.run_page import (
    RUN_REPORT_FILE,
    decision_section,
    facts_section,
    importance_section,
    metrics_section,
    plots_section,
    render_page,
)
from ..reports.run_summary import StepRecord
from ..training.importance import read_importance
from ..utils.files import atomic_write_text, read_json, read_yaml_mapping
from ..utils.frames import read_csv_file, typed_features

logger = get_logger(__name__)
IMPORTANCE_OFF = (
    "not computed: model_evaluation.permutation_importance is false in config/config.yaml; "
    "set it to true to measure, on the next run, how much the model needs each column"
)


@dataclass(frozen=True)
class RunOutputs:
    """What one run's steps returned, and what it decided."""

    run_id: str
    ingestion: DataIngestionArtifact
    validation: DataValidationArtifact
    trainer: ModelTrainerArtifact
    evaluation: ModelEvaluationArtifact
    version: str | None
    reason: str
    steps: list[StepRecord]


def write_run_report(
    settings: Settings, run_dir: Path, outputs: RunOutputs, reference_profile_path: Path | None
) -> Path | None:
    """The page's path, or None (and one warning) when it could not be written."""
    try:
        path = run_dir / RUN_REPORT_FILE
        atomic_write_text(path, _page(settings, outputs, reference_profile_path))
    except Exception as exc:  # any: a report must not fail the run it describes
        logger.warning("run report not written: %s: %s", type(exc).__name__, exc)
        return None
    logger.info("run report: %s", path)
    return path


def _page(settings: Settings, outputs: RunOutputs, reference_profile_path: Path | None) -> str:
    evaluation = read_json(outputs.evaluation.report_path)
    decided = f"Promoted as {outputs.version}" if outputs.version else "Not promoted"
    validation = read_yaml_mapping(outputs.validation.report_path, "data_validation/report.yaml")
    schema = settings.schema
    train = read_csv_file(outputs.validation.train_path, schema.missing_values)
    reference = None
    if reference_profile_path is not None and reference_profile_path.is_file():
        reference = read_json(reference_profile_path)
    sections = [
        decision_section(outputs.version is not None, f"{decided}: {outputs.reason}."),
        metrics_section(evaluation, _gate(settings, evaluation)),
        _plots(outputs.evaluation.report_path.parent, evaluation),
        _importance(outputs.evaluation.importance_path, evaluation),
        data_section(validation, typed_features(train, schema.feature_types), schema.feature_types, reference),
        facts_section(_facts(settings, outputs)),
    ]
    return render_page(f"Run {outputs.run_id}", sections)


def _gate(settings: Settings, evaluation: dict[str, Any]) -> str:
    """How the margin the gate used was made, in one sentence."""
    gate = settings.config.model_evaluation
    margin = float(evaluation.get("margin") or 0.0)
    error = (margin - gate.min_improvement) / gate.standard_errors if gate.standard_errors else 0.0
    versus = (
        f"production {evaluation.get('production_version')}"
        if evaluation.get("production")
        else "the best trivial baseline"
    )
    minimum = f"; it must also reach {gate.min_score}" if gate.min_score is not None else ""
    return (
        f"The gate: the candidate's {evaluation.get('metric')} must beat {versus} by the margin {margin:.4f} "
        f"= min_improvement {gate.min_improvement} + {gate.standard_errors:g} x the score's standard error on "
        f"{evaluation.get('test_rows')} test rows ({error:.4f}){minimum}."
    )


def _plots(directory: Path, evaluation: dict[str, Any]) -> str:
    """The evaluation's PNGs (reports/plots.py), production beside or over the candidate when it was compared."""
    compared = bool(evaluation.get("production"))
    panels = "candidate (left) and production (right) on the same rows" if compared else "candidate"
    interval = evaluation.get("interval")
    if evaluation.get("confusion_matrix") is None:  # a measurement
        lines = ["Predicted against actual (the diagonal is perfect) and residuals, " + panels + "."]
        if interval:
            lines.append(
                f"Prediction interval: the value +- {interval['half_width']:.4g}, asked to hold the truth for "
                f"{interval['coverage']:.0%} of rows; it held it for {interval['measured_coverage']:.1%} of the "
                "test rows."
            )
        figures = [(directory / name, name.removesuffix(".png").replace("_", " ")) for name in REGRESSION_PLOT_FILES]
        return plots_section("How well it measures", lines, figures)
    threshold = evaluation.get("threshold")
    used = (
        f"Decision threshold used: {threshold:.3f} (the positive class at or above this probability); "
        "the confusion matrix counts the test rows at it, and the threshold curve marks it among all thresholds."
        if threshold is not None
        else "Decision: the likeliest class (more than two classes, no threshold)."
    )
    together = (
        "The candidate (solid lines, left matrix) and production (dashed lines, right matrix) on the same test rows."
        if compared
        else "The candidate on the test rows (no production model was compared)."
    )
    names = [name for name in PLOT_FILES if name != THRESHOLD_FILE or threshold is not None]
    figures = [(directory / name, name.removesuffix(".png").replace("_", " ")) for name in names]
    return plots_section("How well it classifies", [used, together], figures)


def _importance(path: Path | None, evaluation: dict[str, Any]) -> str:
    """What the evaluation step measured (training/importance.py), or why nothing was."""
    if path is None:
        return importance_section(str(evaluation.get("metric")), 0, 0, [], IMPORTANCE_OFF)
    found = read_importance(path)
    shown = [(item.column, item.mean, item.spread) for item in found.top()]
    return importance_section(found.metric, found.rows, found.repeats, shown, found.skipped)


def _facts(settings: Settings, outputs: RunOutputs) -> list[tuple[str, str]]:
    ingestion, model = outputs.ingestion, settings.model
    parameters = ", ".join(f"{name}={value}" for name, value in sorted(model.estimator_params.items())) or "defaults"
    facts = [
        ("run", outputs.run_id),
        ("data fingerprint", ingestion.data_fingerprint),
        ("rows and split", ingestion.summary()),
        ("estimator", f"{outputs.trainer.estimator} ({parameters}; random_state={model.random_state})"),
        ("production before this run", outputs.evaluation.production_version or "none"),
    ]
    facts += [(f"{step.name} took", f"{step.seconds:.2f}s: {step.figure}") for step in outputs.steps]
    facts += [("package version", VERSION), ("template version", TEMPLATE_VERSION)]
    return facts
