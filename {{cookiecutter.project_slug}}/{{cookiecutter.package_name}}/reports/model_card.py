"""A model card (Markdown) beside each production version: what data, which metrics, which threshold, what the
model is for and where it should not be trusted. Written from the run's metadata, so it never drifts from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..constants.answers import DESCRIPTION, PROJECT_NAME
from ..utils.files import atomic_write_text

MODEL_CARD_FILE = "model_card.md"


def render_model_card(metadata: dict[str, Any], data: dict[str, Any], reason: str) -> str:
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
    decided = f"{threshold:.3f}" if threshold is not None else "none (more than two classes: the likeliest class)"
    return "one predicted class and its probability per row", f"decision threshold: {decided}"


def write_model_card(path: Path, metadata: dict[str, Any], data: dict[str, Any], reason: str) -> Path:
    atomic_write_text(path, render_model_card(metadata, data, reason))
    return path
