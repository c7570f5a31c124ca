"""The tracker interface: the pipeline reports to whichever tracker the project was generated with."""

from __future__ import annotations

from pathlib import Path

from {{ cookiecutter.package_name }}.builders.tracker import build_tracker
from {{ cookiecutter.package_name }}.configuration import Settings
from {{ cookiecutter.package_name }}.tracking import Tracker


def test_the_base_tracker_accepts_every_report_and_records_nothing(tmp_path: Path) -> None:
    tracker = Tracker()

    with tracker.run("run-1", tmp_path):
        tracker.log_step("data_ingestion", 0.5, object())
    with tracker.study("study-1", tmp_path):
        tracker.log_trial(0, {"C": 1.0}, 0.9)
    tracker.promote("v0001")

    assert list(tmp_path.iterdir()) == []


def test_the_factory_builds_the_generated_projects_tracker(settings: Settings) -> None:
    tracker = build_tracker(settings)

{%- if cookiecutter.experiment_tracking == "mlflow" %}
    assert type(tracker).__name__ == "MlflowTracker"
{%- else %}
    assert type(tracker) is Tracker
{%- endif %}
