"""Experiment tracking: what each training run reports, behind the small interface of tracker.py."""

from .tracker import Tracker

__all__ = ["Tracker"]
