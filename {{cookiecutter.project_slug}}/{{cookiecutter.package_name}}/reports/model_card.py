"""A model card (Markdown) beside each production version: what data, which metrics, which threshold, what the
model relies on, what it is for and where it should not be trusted. Written from the run's metadata and the
evaluation's permutation importance, so it never drifts from them or from the run's page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..constants.answers import DESCRIPTION, FASTAPI_SERVING, PROJECT_NAME
from ..utils.files import atomic_write_text

MODEL_CARD_FILE = "model_card.md"


def render_model_card(
    metadata: dict[str, Any], data: dict[str, Any], reason: str, importance: dict[str, Any] | None = None
) -> str:
    """`importance`: training/importance.py's importance.json as read, None when it was not measured."""
    metrics = metadata.get("metrics", {})
    rows = "\n".join(f"| {name} | {value:.4f} |" for name, value in sorted(metrics.items()))
    answers, decision = _answers(metadata)
    # Counts and shares only: paths name one machine, not the data.
    figures = {key: value for key, value in data.items() if isinstance(value, (int, float)) and value is not True}
    data_lines = "\n".join(f"- {key.replace('_', ' ')}: {value:.4g}" for key, value in figures.items())
    return f"""# Model card: {PROJECT_NAME}

## Intended use
{DESCRIPTION}
Scores rows with the feature columns of `config/schema.yaml`: {answers}.

## Model
- estimator: {metadata.get("estimator")}
- run: {metadata.get("run_id")}, created {metadata.get("created_at")}
- previous production version: {metadata.get("previous_version") or "none"}
- {decision}
- promoted because: {reason}

## Training data
- fingerprint: {metadata.get("training_data_fingerprint")}
{data_lines}

## Metrics (held-out test rows; gate metric: {metadata.get("metric")})
| metric | value |
|---|---|
{rows}

## What it relies on
{_relies_on(importance)}

## Limits
- Trained on the data above only: rows unlike it (new sensors, units, ranges) get confident but unfounded answers;
  watch the drift report of each run and of `monitor`.
- Test metrics come from one held-out split of the same data set, not from production traffic.
- Probabilities are the estimator's scores, not calibrated frequencies unless the estimator is calibrated;
  prediction intervals hold their coverage on average over rows like the training data, not for every row.
"""


def _answers(metadata: dict[str, Any]) -> tuple[str, str]:
    """What the model gives per row, and how it decides: its threshold, or its interval for a measurement."""
    interval = metadata.get("interval")
    if interval:
        return (
            "one estimated value per row, with a prediction interval on request",
            f"prediction interval: the value +- {interval['half_width']:.4g}, holding the truth for "
            f"{interval['coverage']:.0%} of rows (cross-validated conformal residuals)",
        )
    threshold = metadata.get("threshold")
    if threshold is None:
        return "one predicted class and its probability per row", "decision: the likeliest class (no threshold)"
    positive = (metadata.get("data_schema") or {}).get("positive_label") or "the positive class"
    return (
        "one predicted class and its probability per row",
        f"decision threshold used by `predict`{' and the server' if FASTAPI_SERVING else ''}: {threshold:.3f} "
        f"({positive} when its probability is at or above it)",
    )


def _relies_on(importance: dict[str, Any] | None) -> str:
    """The permutation importance the run's page shows, as a table."""
    if importance is None:
        return "Not measured: `model_evaluation.permutation_importance` was off in config/config.yaml for this run."
    if importance.get("skipped"):
        return f"Permutation importance {importance['skipped']}."
    metric = importance["metric"]
    rows = "\n".join(
        f"| {column['column']} | {column['mean']:.4f} | {column['spread']:.4f} |" for column in importance["columns"]
    )
    return (
        f"Permutation importance on {importance['rows']} held-out test rows: how much {metric} worsens when one "
        f"column's values are shuffled ({importance['repeats']} repeats; the spread is their standard deviation). "
        f"Top {len(importance['columns'])}, as on the run's page:\n\n"
        f"| column | {metric} lost | spread |\n|---|---|---|\n{rows}"
    )


def write_model_card(
    path: Path, metadata: dict[str, Any], data: dict[str, Any], reason: str, importance: dict[str, Any] | None
) -> Path:
    atomic_write_text(path, render_model_card(metadata, data, reason, importance))
    return path
