"""Experiment tracking: what each training run reports, behind the small interface of tracker.py."""

from {{ cookiecutter.package_name }}.tracking.factory import build_tracker
from {{ cookiecutter.package_name }}.tracking.tracker import Tracker

__all__ = ["Tracker", "build_tracker"]
