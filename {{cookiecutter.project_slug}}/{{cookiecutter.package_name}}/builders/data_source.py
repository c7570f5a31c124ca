"""Builds the data source this project was generated to read (`data_source` in config/config.yaml)."""

from __future__ import annotations

from ..constants.answers import MONGODB_SOURCE, SQL_SOURCE

# One builder module per source; the project keeps only its own (constants/answers.py says which).
if MONGODB_SOURCE:
    from .mongodb_source import build_mongodb_source as build_data_source
elif SQL_SOURCE:
    from .sql_source import build_sql_source as build_data_source
else:
    from .csv_source import build_csv_source as build_data_source

__all__ = ["build_data_source"]
