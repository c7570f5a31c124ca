"""Extracting the raw training data as a DataFrame, whatever the source."""

from .source import DataSource

__all__ = ["DataSource"]
