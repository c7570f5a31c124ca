"""Slow tier: every data source and storage combination installs and passes its own tests; SQL against a real
PostgreSQL server and S3 against a real S3 endpoint, both started on 127.0.0.1 by the tests."""

from __future__ import annotations

import os
import shutil

import boto3
import pytest

from tests.helpers import DEFAULT_PACKAGE, assert_suite_passed, assert_type_checks, run, run_blocks, runnable_blocks
from tests.servers import POSTGRES_PASSWORD, postgres_server, s3_server

pytestmark = pytest.mark.slow
COMBINATIONS = {
    "mongodb-local": ("data_source=mongodb",),
    "sql-local": ("data_source=sql",),
    "csv-s3": ("artifact_storage=s3",),
    "mongodb-s3": ("data_source=mongodb", "artifact_storage=s3"),
    "sql-s3": ("data_source=sql", "artifact_storage=s3"),
}
BUCKET = "sensor-fault-detection-artifacts"
# What a data source or an artifact store changes: its own tests, the registry and its remote copy, secrets in
# messages, the whole pipeline through the command line, and other people's data loaded into the source. The rest
# of the generated suite (models, server, reports) is the same code in every combination and runs on the default
# project in test_generated_project.py.
OPTION_TESTS = (
    "tests/test_data",
    "tests/test_models/test_model_registry.py",
    "tests/test_models/test_s3_storage.py",
    "tests/test_redaction.py",
    "tests/integration/test_training_pipeline.py",
    "tests/integration/test_your_own_data.py",
    "tests/integration/test_csv_dialects.py",
)


def option_tests(project) -> list[str]:
    """The OPTION_TESTS this combination has (the S3 tests exist only with artifact_storage=s3)."""
    return [path for path in OPTION_TESTS if (project / path).exists()]


def _child_env(**extra: str) -> dict[str, str]:
    """This environment without variables that would point a project at another server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "MONGODB_", "DATABASE_"))}
    return {**env, **extra}


@pytest.mark.parametrize("answers", COMBINATIONS.values(), ids=COMBINATIONS.keys())
def test_combination_passes_its_own_tests(installed_project, answers) -> None:
    _, project = installed_project("init_git=no", *answers)

    result = run(
        [project / ".venv/bin/python", "-m", "pytest", "-q", "-p", "no:cacheprovider", *option_tests(project)],
        cwd=project,
        env=_child_env(),
    )

    assert_suite_passed(result, minimum=40)


@pytest.mark.parametrize("answers", COMBINATIONS.values(), ids=COMBINATIONS.keys())
def test_combination_type_checks(installed_project, answers) -> None:
    _, project = installed_project("init_git=no", *answers)

    assert_type_checks(project)


def test_sql_against_sqlite_then_postgresql(installed_project) -> None:
    _, project = installed_project("init_git=no", "data_source=sql")
    python = project / ".venv/bin/python"
    cli = [python, "-m", DEFAULT_PACKAGE]

    # With no DATABASE_URL: the SQLite file inside the project, no server at all, as docs/data-and-storage.md's
    # runnable block says.
    blocks = runnable_blocks(project / "docs" / "data-and-storage.md")
    assert [line.split()[1] for block in blocks for line in block.lines] == ["scripts/load_data.py", "-m"]
    assert "promoted as v0001" in run_blocks(blocks, cwd=project, env=_child_env())[-1]

    with postgres_server() as url:
        postgres = _child_env(DATABASE_URL=url)
        loaded = run([python, "scripts/load_data.py"], cwd=project, env=postgres)
        assert "loaded 3000 rows" in loaded.stdout and POSTGRES_PASSWORD not in loaded.stdout
        trained = run([*cli, "train"], cwd=project, env=postgres)
        assert "not promoted" in trained.stdout  # same data as the SQLite run: not better than v0001
        assert POSTGRES_PASSWORD not in trained.stdout + trained.stderr
        assert "sql table sensor_readings at postgresql+psycopg://postgres:***@127.0.0.1" in trained.stderr

        # The project's own tests, extraction and training included, against the real server.
        tests = run(
            [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *option_tests(project)], cwd=project, env=postgres
        )
        assert_suite_passed(tests, minimum=40)

        wrong = _child_env(DATABASE_URL=url.replace(POSTGRES_PASSWORD, "wrong-password"))
        refused = run([*cli, "train"], cwd=project, env=wrong, expect=1)
        assert "cannot connect to postgresql+psycopg://postgres:***@" in refused.stderr
        assert "wrong-password" not in refused.stdout + refused.stderr

        missing_table = _child_env(DATABASE_URL=url.replace("/sensor", "/postgres"))
        refused = run([*cli, "train"], cwd=project, env=missing_table, expect=2)
        assert "table 'sensor_readings' not found" in refused.stderr


def test_s3_push_then_a_clean_copy_pulls_the_model(installed_project, tmp_path) -> None:
    _, project = installed_project("init_git=no", "artifact_storage=s3")
    python = project / ".venv/bin/python"
    with s3_server() as endpoint:
        env = _child_env(
            AWS_ENDPOINT_URL=endpoint,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION="us-east-1",
        )
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )

        refused = run([python, "-m", DEFAULT_PACKAGE, "train"], cwd=project, env=env, expect=1)
        assert "bucket does not exist" in refused.stderr
        assert not (project / "models/production/CURRENT").exists()

        client.create_bucket(Bucket=BUCKET)
        trained = run([python, "-m", DEFAULT_PACKAGE, "train"], cwd=project, env=env)
        assert "promoted as v0001" in trained.stdout
        keys = {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET)["Contents"]}
        prefix = "sensor-fault-detection/models/production"
        assert {f"{prefix}/CURRENT", f"{prefix}/v0001/model.joblib", f"{prefix}/v0001/metadata.json"} <= keys
        assert any(key.startswith("sensor-fault-detection/artifacts/") for key in keys)

        # A clean copy of the project, without models or artifacts, as on a new machine.
        copy = tmp_path / "copy"
        shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".venv", "artifacts", "models", "logs"))
        copy_env = {**env, f"{DEFAULT_PACKAGE.upper()}_HOME": str(copy)}
        output = tmp_path / "predictions.csv"
        run(
            [
                python,
                "-m",
                DEFAULT_PACKAGE,
                "predict",
                "--input",
                copy / "data/raw/sensor_sample.csv",
                "--output",
                output,
            ],
            cwd=tmp_path,
            env=copy_env,
        )
        assert (copy / "models/production/v0001/model.joblib").is_file()
        assert (copy / "models/production/CURRENT").read_text().strip() == "v0001"
        assert len(output.read_text().splitlines()) == 3001
