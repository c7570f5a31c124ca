"""The answers given when this project was generated: the template's post-generation hook writes this file.

Code that only some answers need lives in whole modules the hook keeps or removes; the flags say which were kept.
pyproject.toml's [tool.mypy] `always_true`/`always_false` hold the same flags, so the type checker skips the code
of options that were not chosen, and `if FLAG:` branches import only modules this project has.
"""

PROJECT_NAME = "Sensor Fault Detection"
DESCRIPTION = "Detect faulty sensors from their readings, trained and served by a reproducible pipeline."
VERSION = "0.1.0"
PACKAGE_NAME = "sensor_fault_detection"
DISTRIBUTION_NAME = "sensor-fault-detection"
TEMPLATE_VERSION = "0.1.0"

CSV_SOURCE = True
MONGODB_SOURCE = False
SQL_SOURCE = False
S3_STORAGE = False
LIGHTGBM_LIBRARY = False
XGBOOST_LIBRARY = False
MLFLOW_TRACKING = False
FASTAPI_SERVING = True
