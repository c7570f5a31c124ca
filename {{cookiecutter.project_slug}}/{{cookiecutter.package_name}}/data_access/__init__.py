"""Extracting the raw training data as a DataFrame, whatever the source."""

from .factory import build_data_source
from .source import DataSource

__all__ = ["DataSource", "build_data_source"]
