"""`predict --engine spark` gives the same predictions as `--engine local`, row by row.

The Spark tests need the spark extra (`pip install -e '.[spark]'`) and Java 17+; without them they are skipped
with the reason. The checks that stop before Spark starts run everywhere.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.exception import InputError
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.pipeline import spark_prediction
from {{ cookiecutter.package_name }}.pipeline.spark_prediction import input_format

SAMPLE = Path("data") / "raw" / "sensor_sample.csv"
ID_COLUMN = "row_id"

needs_spark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or importlib.util.find_spec("pyarrow") is None,
    reason="pyspark is not installed: pip install -e '.[spark]' to run the Spark tests",
)
needs_java = pytest.mark.skipif(
    not (os.environ.get("JAVA_HOME") or shutil.which("java")), reason="Java 17+ is not installed"
)


@pytest.fixture
def spark_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two local cores and a modest driver, so the tests fit a small CI machine."""
    monkeypatch.setenv("PYSPARK_PYTHON", sys.executable)
    monkeypatch.setenv("PYSPARK_SUBMIT_ARGS", "--driver-memory 1g --conf spark.sql.shuffle.partitions=2 pyspark-shell")
    monkeypatch.delenv("SPARK_MASTER", raising=False)


@pytest.fixture
def scoring_csv(project: Path, tmp_path: Path) -> Path:
    """A few thousand rows as the raw text of the sample (missing-value markers included), plus an id column."""
    frame = pd.read_csv(project / SAMPLE, dtype=str, keep_default_na=False)
    frame = pd.concat([frame, frame.sample(n=2000, replace=True, random_state=7)], ignore_index=True)
    frame.insert(0, ID_COLUMN, [f"r{index:05d}" for index in range(len(frame))])
    path = tmp_path / "scoring.csv"
    frame.drop(columns=["class"]).to_csv(path, index=False)
    return path


@pytest.fixture
def local_predictions(project: Path, scoring_csv: Path, tmp_path: Path) -> pd.DataFrame:
    """The local engine's answer, indexed by the id column of the input."""
    assert main(["train"]) == 0
    output = tmp_path / "local.csv"
    assert main(["predict", "--input", str(scoring_csv), "--output", str(output)]) == 0
    predictions = pd.read_csv(output)
    predictions.index = pd.read_csv(scoring_csv, usecols=[ID_COLUMN])[ID_COLUMN]
    return predictions


def assert_same_predictions(spark_output: pd.DataFrame, local: pd.DataFrame) -> None:
    assert list(spark_output.columns) == [ID_COLUMN, "prediction", "probability"]
    assert spark_output[ID_COLUMN].is_unique
    assert len(spark_output) == len(local)
    joined = spark_output.merge(local, left_on=ID_COLUMN, right_index=True, suffixes=("", "_local"))
    assert len(joined) == len(local)
    assert (joined["prediction"] == joined["prediction_local"]).all()
    assert (joined["probability"] == joined["probability_local"]).all()
    assert set(joined["prediction"]) == {"pos", "neg"}


@needs_spark
@needs_java
def test_spark_on_csv_writes_parquet_equal_to_the_local_engine(
    spark_environment: None, scoring_csv: Path, local_predictions: pd.DataFrame, tmp_path: Path
) -> None:
    output = tmp_path / "spark-parquet"

    arguments = ["--input", str(scoring_csv), "--output", str(output), "--keep", ID_COLUMN, "--master", "local[2]"]
    assert main(["predict", "--engine", "spark", *arguments]) == 0

    assert list(output.glob("part-*.parquet"))
    assert (output / "_SUCCESS").exists()
    written = pd.read_parquet(output)
    assert str(written["probability"].dtype) == "float64"
    assert_same_predictions(written, local_predictions)


@needs_spark
@needs_java
def test_spark_on_a_parquet_folder_writes_csv_equal_to_the_local_engine(
    spark_environment: None, scoring_csv: Path, local_predictions: pd.DataFrame, tmp_path: Path
) -> None:
    frame = pd.read_csv(scoring_csv, na_values=["na"])
    folder = tmp_path / "scoring-parquet"
    folder.mkdir()
    half = len(frame) // 2
    frame.iloc[:half].to_parquet(folder / "part-0.parquet")
    frame.iloc[half:].to_parquet(folder / "part-1.parquet")
    output = tmp_path / "spark-csv"

    arguments = ["--input", str(folder), "--output", str(output), "--format", "csv", "--keep", ID_COLUMN]
    assert main(["predict", "--engine", "spark", *arguments]) == 0

    parts = sorted(output.glob("part-*.csv"))
    assert parts
    assert_same_predictions(pd.concat([pd.read_csv(part) for part in parts], ignore_index=True), local_predictions)


@needs_spark
@needs_java
def test_spark_refuses_input_without_feature_columns_in_one_line(
    spark_environment: None, project: Path, scoring_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["train"]) == 0
    broken = tmp_path / "broken.csv"
    pd.read_csv(scoring_csv).drop(columns=["aa_000", "ag_001"]).to_csv(broken, index=False)
    capsys.readouterr()

    assert main(["predict", "--engine", "spark", "--input", str(broken), "--output", str(tmp_path / "no")]) == 2

    error_lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert "aa_000" in error_lines[0]
    assert "ag_001" in error_lines[0]
    assert not (tmp_path / "no").exists()


@needs_spark
def test_a_python_worker_loads_the_model_once_for_all_its_partitions(
    project: Path, scoring_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyspark import SparkFiles

    assert main(["train"]) == 0
    shipped = next((project / "models" / "production").glob("v*/model.joblib"))
    monkeypatch.setattr(SparkFiles, "get", lambda name: str(shipped))
    loads = []
    original_load = TabularModel.load.__func__

    def counting_load(cls, path):
        loads.append(path)
        return original_load(cls, path)

    monkeypatch.setattr(TabularModel, "load", classmethod(counting_load))
    spark_prediction._model_on_executor.cache_clear()
    text = pd.read_csv(scoring_csv, dtype=str, keep_default_na=False)
    scorer = spark_prediction.PartitionScorer(shipped.name, True, ("na",), (ID_COLUMN,))

    partitions = [
        list(scorer(iter([text.iloc[start : start + 500] for start in range(first, first + 1500, 500)])))
        for first in (0, 1500, 3000)
    ]

    assert loads == [shipped]
    assert sum(len(batch) for partition in partitions for batch in partition) == 4500
    spark_prediction._model_on_executor.cache_clear()


@needs_spark
def test_spark_without_java_is_a_configuration_error(project: Path, scoring_csv: Path, tmp_path: Path) -> None:
    assert main(["train"]) == 0
    environment = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java")}

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "{{ cookiecutter.package_name }}",
            "predict",
            "--engine",
            "spark",
            "--input",
            str(scoring_csv),
            "--output",
            str(tmp_path / "out"),
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 2, result.stderr
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1, result.stderr
    assert "Java" in error_lines[0]
    assert "Traceback" not in result.stderr


def test_spark_without_pyspark_says_how_to_install_it(
    project: Path, scoring_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    assert main(["train"]) == 0
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    capsys.readouterr()

    assert main(["predict", "--engine", "spark", "--input", str(scoring_csv), "--output", str(tmp_path / "out")]) == 2

    error_lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1
    assert "pip install -e '.[spark]'" in error_lines[0]


def test_spark_options_need_the_spark_engine(project: Path, scoring_csv: Path, tmp_path: Path, capsys) -> None:
    output = tmp_path / "out.csv"

    assert main(["predict", "--input", str(scoring_csv), "--output", str(output), "--master", "local[2]"]) == 2

    assert "--master only apply to --engine spark" in capsys.readouterr().err
    assert not output.exists()


def test_spark_never_writes_into_an_existing_folder(project: Path, scoring_csv: Path, tmp_path: Path, capsys) -> None:
    existing = tmp_path / "existing"
    existing.mkdir()
    (existing / "keep.txt").write_text("mine")

    assert main(["predict", "--engine", "spark", "--input", str(scoring_csv), "--output", str(existing)]) == 2

    assert "already exists" in capsys.readouterr().err
    assert (existing / "keep.txt").read_text() == "mine"


def test_spark_refuses_a_missing_input(project: Path, tmp_path: Path, capsys) -> None:
    missing = tmp_path / "nowhere.csv"

    assert main(["predict", "--engine", "spark", "--input", str(missing), "--output", str(tmp_path / "out")]) == 2

    assert "input not found" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("rows.csv", "csv"),
        ("rows.csv.gz", "csv"),
        ("rows.parquet", "parquet"),
        ("s3a://bucket/day=1/x.parquet", "parquet"),
    ],
)
def test_input_format_from_the_name(name: str, expected: str) -> None:
    assert input_format(name) == expected


def test_input_format_of_a_folder_from_its_files(tmp_path: Path) -> None:
    (tmp_path / "parquet").mkdir()
    (tmp_path / "parquet" / "part-0.snappy.parquet").write_bytes(b"")
    (tmp_path / "parquet" / "_SUCCESS").write_bytes(b"")
    (tmp_path / "mixed").mkdir()
    (tmp_path / "mixed" / "a.csv").write_text("x\n")
    (tmp_path / "mixed" / "b.parquet").write_bytes(b"")

    assert input_format(str(tmp_path / "parquet")) == "parquet"
    with pytest.raises(InputError, match="CSV or Parquet"):
        input_format(str(tmp_path / "mixed"))
