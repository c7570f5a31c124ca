"""The exact file set of a generated project, with {package} standing for the package directory.

The files of every project are listed here: a file added to or removed from the template must be added to or removed
from EXPECTED_FILES on purpose. The files that only some answers bring are the hook's own table, FILES_OF_OPTION in
hooks/post_gen_project.py (a folder there stands for the template's files under it), read here and written nowhere else.
"""

from __future__ import annotations

import functools

from tests.helpers import DEFAULT_ANSWERS, SKIPPED_PARTS, TEMPLATE_DIR, load_hook

post_gen = load_hook("post_gen_project")

# Files of every project, whatever the answers.
EXPECTED_FILES = [
    ".devcontainer/devcontainer.json",
    ".env.example",
    ".gitignore",
    ".pre-commit-config.yaml",
    "LICENSE",
    "Makefile",
    "README.md",
    "config/config.yaml",
    "config/logging_config.yaml",
    "config/model_config.yaml",
    "config/schema.yaml",
    "data/processed/.gitkeep",
    # The README's pages; option-dependent parts are Jinja inside them, so every project has them all.
    "docs/configuration.md",
    "docs/data-and-storage.md",
    "docs/deployment.md",
    "docs/development.md",
    "docs/images/run-report.png",
    "docs/performance.md",
    "docs/pipeline.md",
    "docs/serving.md",
    "docs/spark.md",
    "docs/tracking.md",
    "docs/troubleshooting.md",
    "data/raw/sensor_sample.csv",
    "models/experiments/.gitkeep",
    "models/production/.gitkeep",
    "notebooks/01_eda.ipynb",
    "notebooks/02_feature_engineering.ipynb",
    "notebooks/03_model_experiments.ipynb",
    "pyproject.toml",
    "requirements-dev.txt",
    "requirements.txt",
    "scripts/make_sample_data.py",
    "scripts/setup_venv.py",
    "setup.py",
    "tests/__init__.py",
    "tests/conftest.py",
    "tests/forked_cli.py",
    "tests/test_setup_venv.py",
    "tests/frame_source.py",
    "tests/own_tables.py",
    "tests/integration/__init__.py",
    "tests/integration/test_batch_prediction.py",
    "tests/integration/test_csv_dialects.py",
    "tests/integration/test_progress_on_terminal.py",
    "tests/integration/test_promotion_faults.py",
    "tests/integration/test_regression.py",
    "tests/integration/test_spark_prediction.py",
    "tests/integration/test_honest_messages.py",
    "tests/integration/test_labels_as_written.py",
    "tests/integration/test_switching_data.py",
    "tests/integration/test_training_pipeline.py",
    "tests/integration/test_your_own_data.py",
    "tests/test_data/__init__.py",
    "tests/test_data/test_data_ingestion.py",
    "tests/test_data/test_data_validation.py",
    "tests/test_data/test_dialect_detection.py",
    "tests/test_architecture.py",
    "tests/test_bad_input_classes.py",
    "tests/test_cli_errors.py",
    "tests/test_data/test_schema_inference.py",
    "tests/test_data/test_text_values.py",
    "tests/test_configuration.py",
    "tests/test_exception.py",
    "tests/test_faults.py",
    "tests/test_files.py",
    "tests/test_features/__init__.py",
    "tests/test_features/test_data_transformation.py",
    "tests/test_features/test_drift.py",
    "tests/test_features/test_resampling.py",
    "tests/test_models/__init__.py",
    "tests/test_models/test_metrics_and_estimators.py",
    "tests/test_models/test_leaf_order.py",
    "tests/test_models/test_model_evaluation.py",
    "tests/test_models/test_model_registry.py",
    "tests/test_models/test_model_trainer.py",
    "tests/test_csv_chunks.py",
    "tests/real_shaped.py",
    "tests/test_overlap.py",
    "tests/test_progress.py",
    "tests/test_redaction.py",
    "tests/test_startup_imports.py",
    "tests/test_models/test_tuning.py",
    "tests/test_monitoring/__init__.py",
    "tests/test_monitoring/test_monitoring.py",
    "tests/test_reports/__init__.py",
    "tests/test_reports/test_reports.py",
    "tests/test_reports/test_run_report.py",
    "tests/test_tracking/__init__.py",
    "tests/test_tracking/test_tracker.py",
    "{package}/__init__.py",
    "{package}/__main__.py",
    "{package}/builders/__init__.py",
    "{package}/builders/data_source.py",
    "{package}/builders/model_registry.py",
    "{package}/builders/tracker.py",
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
    "{package}/schema_inference/command.py",
    "{package}/schema_inference/dialect.py",
    "{package}/configuration/settings.py",
    "{package}/schema_inference/source_path.py",
    "{package}/pipeline/training_config.py",
    "{package}/configuration/validation.py",
    "{package}/constants/__init__.py",
    "{package}/constants/answers.py",
    "{package}/data_access/__init__.py",
    "{package}/data_access/source.py",
    "{package}/entity/__init__.py",
    "{package}/entity/artifact_entity.py",
    "{package}/entity/config_entity.py",
    "{package}/entity/data_schema.py",
    "{package}/exception.py",
    "{package}/logger.py",
    "{package}/inference/__init__.py",
    "{package}/schema_inference/__init__.py",
    "{package}/training/__init__.py",
    "{package}/training/custom_estimator.py",
    "{package}/training/date_features.py",
    "{package}/training/intervals.py",
    "{package}/training/regression_metrics.py",
    "{package}/schema_inference/columns.py",
    "{package}/schema_inference/schema_yaml.py",
    "{package}/monitoring/drift.py",
    "{package}/training/estimators.py",
    "{package}/training/importance.py",
    "{package}/training/leakage.py",
    "{package}/inference/labels.py",
    "{package}/training/metrics.py",
    "{package}/inference/leaf_order.py",
    "{package}/inference/model.py",
    "{package}/training/pipeline_builder.py",
    "{package}/training/preprocessing.py",
    "{package}/training/resampling.py",
    "{package}/schema_inference/inference.py",
    "{package}/schema_inference/split_key.py",
    "{package}/training/scoring.py",
    "{package}/training/splitting.py",
    "{package}/training/threshold.py",
    "{package}/pipeline/__init__.py",
    "{package}/pipeline/prediction_pipeline.py",
    "{package}/pipeline/run_report.py",
    "{package}/pipeline/spark_prediction.py",
    "{package}/pipeline/training_pipeline.py",
    "{package}/monitoring/__init__.py",
    "{package}/monitoring/command.py",
    "{package}/monitoring/feature_log.py",
    "{package}/registry/__init__.py",
    "{package}/registry/model_registry.py",
    "{package}/registry/promotion_lock.py",
    "{package}/reports/__init__.py",
    "{package}/reports/html_report.py",
    "{package}/reports/data_section.py",
    "{package}/reports/histograms.py",
    "{package}/reports/last_run.py",
    "{package}/reports/model_card.py",
    "{package}/reports/plots.py",
    "{package}/reports/run_summary.py",
    "{package}/reports/run_page.py",
    "{package}/tracking/__init__.py",
    "{package}/tracking/tracker.py",
    "{package}/tuning/__init__.py",
    "{package}/tuning/command.py",
    "{package}/tuning/config_writer.py",
    "{package}/tuning/search.py",
    "{package}/utils/__init__.py",
    "{package}/utils/arguments.py",
    "{package}/utils/csv_chunks.py",
    "{package}/utils/csv_dialect.py",
    "{package}/utils/files.py",
    "{package}/utils/frames.py",
    "{package}/utils/labels.py",
    "{package}/utils/overlap.py",
    "{package}/utils/progress.py",
    "{package}/utils/redaction.py",
    "{package}/utils/run_id.py",
]


@functools.cache
def template_files(entry: str) -> frozenset[str]:
    """The template's files an entry of FILES_OF_OPTION names: the file itself, or every file under the folder."""
    root = TEMPLATE_DIR / post_gen.TEMPLATE_FOLDER
    target = root / entry.format(package=post_gen.PACKAGE_FOLDER)
    found = [target] if target.is_file() else [path for path in target.rglob("*") if path.is_file()]
    paths = frozenset(
        path.relative_to(root).as_posix().replace(post_gen.PACKAGE_FOLDER, "{package}")
        for path in found
        if not SKIPPED_PARTS.intersection(path.relative_to(root).parts)
    )
    assert paths, f"FILES_OF_OPTION in hooks/post_gen_project.py names {entry!r}, which holds no file of the template"
    return paths


def optional_files() -> set[str]:
    """Every file of the hook's table: the files that only some answers bring."""
    return {
        path for entries in post_gen.FILES_OF_OPTION.values() for entry in entries for path in template_files(entry)
    }


def expected_files(package_name: str, answers: dict | None = None) -> list[str]:
    """EXPECTED_FILES, and the files of the table that no entry of an unchosen value removes (as the hook prunes)."""
    chosen = {**DEFAULT_ANSWERS, **(answers or {})}
    pruned = {path for entry in post_gen.unchosen(chosen) for path in template_files(entry)}
    paths = set(EXPECTED_FILES) | (optional_files() - pruned)
    return sorted(path.format(package=package_name) for path in paths)
