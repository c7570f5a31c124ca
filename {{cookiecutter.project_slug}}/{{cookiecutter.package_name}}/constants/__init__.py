"""Names and defaults that shape the project's layout; behaviour belongs in config/*.yaml instead."""

from .answers import DISTRIBUTION_NAME, PACKAGE_NAME, TEMPLATE_VERSION

__all__ = ["DISTRIBUTION_NAME", "PACKAGE_NAME", "TEMPLATE_VERSION"]  # re-exported: the names every room reads
_PREFIX = PACKAGE_NAME.upper()

# Environment variable that points at the project directory when the package is not run from it.
HOME_ENV_VAR = f"{_PREFIX}_HOME"
# Environment variable holding the MongoDB connection string (a secret: never in config files).
MONGODB_URL_ENV_VAR = "MONGODB_URL"
# Environment variable holding the SQLAlchemy database URL (a secret: never in config files).
DATABASE_URL_ENV_VAR = "DATABASE_URL"
# Environment variable holding the token that enables POST /train; unset, training over HTTP is off.
TRAIN_TOKEN_ENV_VAR = f"{_PREFIX}_TRAIN_TOKEN"
# Share of scored rows the server logs for `monitor` (0, the default, logs nothing), and the log's size bound.
FEATURE_LOG_SAMPLE_RATE_ENV_VAR = f"{_PREFIX}_FEATURE_LOG_SAMPLE_RATE"
FEATURE_LOG_MAX_BYTES_ENV_VAR = f"{_PREFIX}_FEATURE_LOG_MAX_BYTES"
# Environment variable pointing MLflow at a tracking server; unset, the embedded store mlruns.db is used.
MLFLOW_TRACKING_URI_ENV_VAR = "MLFLOW_TRACKING_URI"

CONFIG_DIR = "config"
CONFIG_FILE = "config.yaml"
MODEL_CONFIG_FILE = "model_config.yaml"
SCHEMA_FILE = "schema.yaml"
LOGGING_CONFIG_FILE = "logging_config.yaml"

# One directory per component inside artifacts/<run-id>/, in pipeline order.
DATA_INGESTION = "data_ingestion"
DATA_VALIDATION = "data_validation"
DATA_TRANSFORMATION = "data_transformation"
MODEL_TRAINER = "model_trainer"
MODEL_EVALUATION = "model_evaluation"
MODEL_PUSHER = "model_pusher"

ARTIFACT_FILE = "artifact.json"
MODEL_FILE = "model.joblib"
ONNX_MODEL_FILE = "model.onnx"  # the same model for onnxruntime, when it converts and matches
METADATA_FILE = "metadata.json"
REFERENCE_PROFILE_FILE = "reference_profile.json"
TRAINING_ROWS_FILE = "training_rows.npy"  # a hash per training row: `evaluate` tells which rows the model saw
CURRENT_VERSION_FILE = "CURRENT"
LOCK_FILE = ".promotion.lock"  # held by the one promotion at a time, beside CURRENT (and in the bucket)

PREDICTION_COLUMN = "prediction"
PROBABILITY_COLUMN = "probability"
LOWER_COLUMN = "prediction_lower"
UPPER_COLUMN = "prediction_upper"
# The category a missing categorical value becomes, in training and in the ONNX inputs alike.
MISSING_CATEGORY = "__missing__"
