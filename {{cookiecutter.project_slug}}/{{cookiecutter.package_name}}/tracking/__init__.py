"""Experiment tracking: what each training run reports, behind the small interface of tracker.py."""

from .factory import build_tracker
from .tracker import Tracker

__all__ = ["Tracker", "build_tracker"]
