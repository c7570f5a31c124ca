"""Past one machine: a default project with the `spark` extra scores a few hundred thousand rows on a local Spark
and gives the local engine's predictions row by row; its own Spark tests run (not skip) once the extra is in."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from tests.helpers import DEFAULT_PACKAGE, assert_suite_passed, run, tool

ROWS = 200_000
SAMPLE = Path("data") / "raw" / "sensor_sample.csv"
# Two cores, a modest driver, and input splits small enough that both cores score.
SPARK_ENV = {
    "PYSPARK_SUBMIT_ARGS": "--driver-memory 1g --conf spark.sql.shuffle.partitions=2 "
    "--conf spark.sql.files.maxPartitionBytes=8m pyspark-shell",
}

MAKE_ROWS = """
import sys
from pathlib import Path

import pandas as pd

sample, out, rows = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
frame = pd.read_csv(sample, dtype=str, keep_default_na=False).drop(columns=["class"])
frame = frame.sample(n=rows, replace=True, random_state=11).reset_index(drop=True)
frame.insert(0, "row_id", range(rows))
frame.to_csv(out / "rows.csv", index=False)
typed = pd.read_csv(out / "rows.csv", na_values=["na"])
(out / "rows_parquet").mkdir()
for part, start in enumerate(range(0, rows, rows // 3)):
    typed.iloc[start:start + rows // 3].to_parquet(out / "rows_parquet" / f"part-{part}.parquet")
"""

COMPARE = """
import json
import sys
from pathlib import Path

import pandas as pd

inputs, local, spark, kind = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
expected = pd.read_csv(local)
expected.index = pd.read_csv(inputs, usecols=["row_id"])["row_id"]
if kind == "parquet":
    got = pd.read_parquet(spark)
else:
    got = pd.concat([pd.read_csv(part) for part in sorted(spark.glob("part-*.csv"))], ignore_index=True)
got["row_id"] = got["row_id"].astype("int64")
joined = got.merge(expected, left_on="row_id", right_index=True, suffixes=("", "_local"))
print(json.dumps({
    "columns": list(got.columns),
    "rows": len(got),
    "unique_ids": int(got["row_id"].nunique()),
    "joined": len(joined),
    "prediction_mismatches": int((joined["prediction"] != joined["prediction_local"]).sum()),
    "probability_mismatches": int((joined["probability"] != joined["probability_local"]).sum()),
    "labels": sorted(set(joined["prediction"])),
}))
"""


@pytest.fixture(scope="module")
def spark_project(installed_project, tmp_path_factory):
    """Its own project (the extra must not change the one other tests share), trained, with the rows to score."""
    _, project = installed_project("init_git=no")
    python = project / ".venv" / "bin" / "python"
    install_env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    run(
        [tool("uv"), "pip", "install", "--python", python, "-e", ".[spark]"], cwd=project, env=install_env, timeout=1500
    )
    trained = run([python, "-m", DEFAULT_PACKAGE, "train"], cwd=project)
    assert "promoted as v0001" in trained.stdout, trained.stdout + trained.stderr
    data = tmp_path_factory.mktemp("spark-data")
    run([python, "-c", MAKE_ROWS, project / SAMPLE, data, ROWS], cwd=data)
    local = data / "local.csv"
    run([python, "-m", DEFAULT_PACKAGE, "predict", "--input", data / "rows.csv", "--output", local], cwd=data)
    return project, python, data, local


def spark_predict(python: Path, cwd: Path, *arguments) -> str:
    result = run(
        [python, "-m", DEFAULT_PACKAGE, "predict", "--engine", "spark", *arguments],
        cwd=cwd,
        env={**os.environ, **SPARK_ENV},
        timeout=1200,
    )
    return result.stdout


def compare(python: Path, data: Path, local: Path, output: Path, kind: str) -> dict:
    result = run([python, "-c", COMPARE, data / "rows.csv", local, output, kind], cwd=data)
    return json.loads(result.stdout)


def assert_same_as_local(report: dict) -> None:
    assert report["columns"] == ["row_id", "prediction", "probability"]
    assert report["rows"] == report["unique_ids"] == report["joined"] == ROWS
    assert report["prediction_mismatches"] == 0
    assert report["probability_mismatches"] == 0
    assert report["labels"] == ["neg", "pos"]


@pytest.mark.slow
def test_spark_on_csv_matches_the_local_engine_row_by_row(spark_project) -> None:
    _, python, data, local = spark_project
    output = data / "spark-from-csv"

    stdout = spark_predict(python, data, "--input", data / "rows.csv", "--output", output, "--keep", "row_id")

    assert f"wrote {ROWS} predictions" in stdout
    assert len(list(output.glob("part-*.parquet"))) >= 2
    assert_same_as_local(compare(python, data, local, output, "parquet"))


@pytest.mark.slow
def test_spark_on_a_parquet_folder_writes_csv_matching_the_local_engine(spark_project) -> None:
    _, python, data, local = spark_project
    output = data / "spark-from-parquet"

    stdout = spark_predict(
        python,
        data,
        "--input",
        data / "rows_parquet",
        "--output",
        output,
        "--format",
        "csv",
        "--keep",
        "row_id",
        "--master",
        "local[2]",
    )

    assert f"wrote {ROWS} predictions" in stdout
    assert_same_as_local(compare(python, data, local, output, "csv"))


@pytest.mark.slow
def test_generated_spark_tests_run_with_the_extra(spark_project) -> None:
    project, python, _, _ = spark_project

    result = run(
        [python, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests/integration/test_spark_prediction.py"],
        cwd=project,
        timeout=1200,
    )

    assert "skipped" not in result.stdout, result.stdout[-3000:]
    assert_suite_passed(result, minimum=11)


def test_spark_job_manifest_is_consistent(default_project, tmp_path) -> None:
    """kubernetes-validate checks k8s/*.yaml (test_bake.py); the executor pod template inside a ConfigMap and the
    names that tie the documents together are checked here."""
    documents = {
        doc["kind"]: doc
        for doc in yaml.safe_load_all((default_project / "k8s" / "spark" / "job-predict.yaml").read_text())
    }
    template = tmp_path / "executor.yaml"
    template.write_text(documents["ConfigMap"]["data"]["executor.yaml"])
    run([tool("kubernetes-validate"), "--strict", template], cwd=tmp_path)

    pod = documents["Job"]["spec"]["template"]["spec"]
    driver = pod["containers"][0]
    submit_args = next(env["value"] for env in driver["env"] if env["name"] == "PYSPARK_SUBMIT_ARGS")
    account = documents["ServiceAccount"]["metadata"]["name"]
    assert pod["serviceAccountName"] == account == documents["RoleBinding"]["subjects"][0]["name"]
    assert f"serviceAccountName={account}" in submit_args
    assert driver["args"][:5] == ["predict", "--engine", "spark", "--master", "k8s://https://kubernetes.default.svc"]
    assert f"spark.kubernetes.container.image={driver['image']}" in submit_args
    mounts = {mount["name"]: mount["mountPath"] for mount in driver["volumeMounts"]}
    assert f"podTemplateFile={mounts['executor-template']}/executor.yaml" in submit_args
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    assert volumes["executor-template"]["configMap"]["name"] == documents["ConfigMap"]["metadata"]["name"]
    assert (
        volumes["scoring-data"]["persistentVolumeClaim"]["claimName"]
        == documents["PersistentVolumeClaim"]["metadata"]["name"]
    )
