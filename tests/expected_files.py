"""The exact file set of a generated project, with {package} standing for the package directory.

A file added to or removed from the template must be added to or removed from these lists on purpose.
"""

from __future__ import annotations

# Files of every project, whatever the answers.
EXPECTED_FILES = [
    ".env.example",
    ".gitignore",
    ".pre-commit-config.yaml",
    "LICENSE",
    "MLproject",
    "Makefile",
    "README.md",
    "config/config.yaml",
    "config/logging_config.yaml",
    "config/model_config.yaml",
    "config/schema.yaml",
    "data/processed/.gitkeep",
    "data/raw/sensor_sample.csv",
    "models/experiments/.gitkeep",
    "models/production/.gitkeep",
    "notebooks/01_eda.ipynb",
    "notebooks/02_feature_engineering.ipynb",
    "notebooks/03_model_experiments.ipynb",
    "pyproject.toml",
    "python_env.yaml",
    "requirements-dev.txt",
    "requirements.txt",
    "scripts/deploy_model.py",
    "scripts/evaluate_model.py",
    "scripts/make_sample_data.py",
    "scripts/train_model.py",
    "setup.py",
    "tests/__init__.py",
    "tests/conftest.py",
    "tests/frame_source.py",
    "tests/integration/__init__.py",
    "tests/integration/test_spark_prediction.py",
    "tests/integration/test_training_pipeline.py",
    "tests/test_data/__init__.py",
    "tests/test_data/test_data_ingestion.py",
    "tests/test_data/test_data_validation.py",
    "tests/test_configuration.py",
    "tests/test_exception.py",
    "tests/test_features/__init__.py",
    "tests/test_features/test_data_transformation.py",
    "tests/test_features/test_drift.py",
    "tests/test_features/test_resampling.py",
    "tests/test_models/__init__.py",
    "tests/test_models/test_metrics_and_estimators.py",
    "tests/test_models/test_model_evaluation.py",
    "tests/test_models/test_model_registry.py",
    "tests/test_models/test_model_trainer.py",
    "{package}/__init__.py",
    "{package}/__main__.py",
    "{package}/cli.py",
    "{package}/cloud_storage/__init__.py",
    "{package}/components/__init__.py",
    "{package}/components/data_ingestion.py",
    "{package}/components/data_transformation.py",
    "{package}/components/data_validation.py",
    "{package}/components/model_evaluation.py",
    "{package}/components/model_pusher.py",
    "{package}/components/model_trainer.py",
    "{package}/configuration/__init__.py",
    "{package}/configuration/environment.py",
    "{package}/configuration/model_config.py",
    "{package}/configuration/project_config.py",
    "{package}/configuration/schema.py",
    "{package}/configuration/settings.py",
    "{package}/configuration/training_config.py",
    "{package}/configuration/validation.py",
    "{package}/constants/__init__.py",
    "{package}/data_access/__init__.py",
    "{package}/data_access/factory.py",
    "{package}/data_access/source.py",
    "{package}/entity/__init__.py",
    "{package}/entity/artifact_entity.py",
    "{package}/entity/config_entity.py",
    "{package}/exception.py",
    "{package}/logger.py",
    "{package}/ml/__init__.py",
    "{package}/ml/custom_estimator.py",
    "{package}/ml/drift.py",
    "{package}/ml/estimators.py",
    "{package}/ml/metrics.py",
    "{package}/ml/model.py",
    "{package}/ml/resampling.py",
    "{package}/pipeline/__init__.py",
    "{package}/pipeline/prediction_pipeline.py",
    "{package}/pipeline/spark_prediction.py",
    "{package}/pipeline/training_pipeline.py",
    "{package}/registry/__init__.py",
    "{package}/registry/factory.py",
    "{package}/registry/model_registry.py",
    "{package}/utils/__init__.py",
    "{package}/utils/files.py",
    "{package}/utils/frames.py",
    "{package}/utils/redaction.py",
    "{package}/utils/run_id.py",
]

# Files that only some answers bring: (the answers they need, the files).
FILES_OF_ANSWERS = [
    ({"data_source": "csv"}, ["{package}/data_access/csv_source.py", "tests/test_data/test_csv_source.py"]),
    (
        {"data_source": "mongodb"},
        ["{package}/data_access/mongodb_source.py", "scripts/load_data.py", "tests/test_data/test_mongodb_source.py"],
    ),
    (
        {"data_source": "sql"},
        ["{package}/data_access/sql_source.py", "scripts/load_data.py", "tests/test_data/test_sql_source.py"],
    ),
    (
        {"artifact_storage": "s3"},
        [
            "{package}/cloud_storage/factory.py",
            "{package}/cloud_storage/s3_storage.py",
            "tests/test_models/test_s3_storage.py",
        ],
    ),
    (
        {"serving": "fastapi"},
        [
            "{package}/api/__init__.py",
            "{package}/api/app.py",
            "{package}/api/model_cache.py",
            "{package}/api/schemas.py",
            "{package}/api/training_jobs.py",
            "scripts/load_test.py",
            "tests/test_api/__init__.py",
            "tests/test_api/test_app.py",
        ],
    ),
    (
        {"include_docker": True},
        [
            ".dockerignore",
            "docker/Dockerfile.train",
            "docker/docker-compose.yml",
            "k8s/configmap.yaml",
            "k8s/cronjob-train.yaml",
            "k8s/job-train.yaml",
        ],
    ),
    ({"include_docker": True, "serving": "fastapi"}, ["docker/Dockerfile.serve", "k8s/deployment-serve.yaml",
                                                       "k8s/service.yaml"]),
    # Spark scoring on Kubernetes uses the serve image (plus Java) as driver and executor image.
    ({"include_docker": True, "serving": "fastapi"}, ["docker/Dockerfile.spark", "k8s/spark/job-predict.yaml"]),
    ({"include_docker": True, "artifact_storage": "local"}, ["k8s/pvc-models.yaml"]),
    ({"ci_provider": "github"}, [".github/workflows/ci.yml"]),
    ({"ci_provider": "github", "include_docker": True}, [".github/workflows/cd.yml"]),
]
DEFAULT_ANSWERS = {
    "data_source": "csv",
    "artifact_storage": "local",
    "serving": "fastapi",
    "include_docker": True,
    "ci_provider": "github",
}


def expected_files(package_name: str, answers: dict | None = None) -> list[str]:
    chosen = {**DEFAULT_ANSWERS, **(answers or {})}
    paths = set(EXPECTED_FILES)
    for needed, extra in FILES_OF_ANSWERS:
        if all(chosen.get(option) == value for option, value in needed.items()):
            paths.update(extra)
    return sorted(path.format(package=package_name) for path in paths)
