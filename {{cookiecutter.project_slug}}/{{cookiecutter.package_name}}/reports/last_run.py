"""Why there is no production model: what the newest `train` run on disk decided, for `predict`, `evaluate`,
`monitor` and the server's readiness, instead of asking to run `train` after a run that was just not promoted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..constants import ARTIFACT_FILE, DATA_INGESTION, MODEL_EVALUATION, MODEL_PUSHER, PACKAGE_NAME

# The evaluation step's report: its `accepted` and `reason` are the gate's decision.
EVALUATION_REPORT = Path(MODEL_EVALUATION) / "report.json"


def _read(path: Path) -> dict[str, Any]:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return content if isinstance(content, dict) else {}


def last_train_outcome(artifacts_dir: Path) -> str | None:
    """ "the last train (run …) was not promoted because …", or None when no run on disk says why.

    Runs are artifacts/<run-id>/ (run ids sort by time); a `tune` run, which has no data_ingestion step, is not one.
    """
    try:
        runs = sorted(path for path in artifacts_dir.iterdir() if (path / DATA_INGESTION).is_dir())
    except OSError:
        return None
    if not runs:
        return None
    run = runs[-1]
    evaluation = _read(run / EVALUATION_REPORT)
    if not evaluation:
        return f"the last train (run {run.name}) has not evaluated a model (it failed, or is still running): see logs/"
    reason = evaluation.get("reason") if not evaluation.get("accepted") else None
    reason = reason or _read(run / MODEL_PUSHER / ARTIFACT_FILE).get("rejected_reason")
    return f"the last train (run {run.name}) was not promoted because {reason}" if reason else None


def no_production_model(artifacts_dir: Path | None) -> str:
    """The message of every command that needs a production model when there is none."""
    outcome = last_train_outcome(artifacts_dir) if artifacts_dir is not None else None
    return f"no production model yet: {outcome or f'run `python -m {PACKAGE_NAME} train` first'}"
