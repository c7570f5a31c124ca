"""Builds the experiment tracker chosen when the project was generated: the one place that does."""

from __future__ import annotations

from ..configuration import Settings
from .tracker import Tracker


def build_tracker(settings: Settings) -> Tracker:
{%- if cookiecutter.experiment_tracking == "mlflow" %}
    """An MLflow tracker (imported here, so commands that track nothing do not pay for importing MLflow)."""
    from .mlflow_tracker import MlflowTracker

    return MlflowTracker(settings)
{%- else %}
    """No experiment tracking: a tracker that records nothing."""
    return Tracker()
{%- endif %}
