"""Extracting the raw training data as a DataFrame, whatever the source."""

from {{ cookiecutter.package_name }}.data_access.factory import build_data_source
from {{ cookiecutter.package_name }}.data_access.source import DataSource

__all__ = ["DataSource", "build_data_source"]
