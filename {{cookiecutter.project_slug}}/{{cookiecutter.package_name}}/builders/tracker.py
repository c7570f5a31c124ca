"""Builds the experiment tracker chosen when the project was generated: the one place that does."""

from __future__ import annotations

from ..configuration.settings import Settings
from ..constants.answers import MLFLOW_TRACKING
from ..tracking.tracker import Tracker


def build_tracker(settings: Settings) -> Tracker:
    """MLflow when the project tracks experiments (imported here: commands that track nothing do not pay for it),
    else a tracker that records nothing."""
    if MLFLOW_TRACKING:
        from ..tracking.mlflow_tracker import MlflowTracker

        return MlflowTracker(settings)
    return Tracker()
