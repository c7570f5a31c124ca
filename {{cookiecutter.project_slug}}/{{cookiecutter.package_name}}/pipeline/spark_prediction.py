"""Batch prediction on Apache Spark, for inputs larger than one machine holds.

The production model file is shipped to every executor with `SparkContext.addFile` (executors never read the
driver's disk), loaded once per Python worker, and each partition is scored by the same `model.predict` as
`predict --engine local`. pyspark is imported here only, so the project works without the `spark` extra.
"""

from __future__ import annotations

import functools
import io
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import pandas as pd

from ..constants import (
    PACKAGE_NAME,
    PREDICTION_COLUMN,
    PROBABILITY_COLUMN,
)
from ..exception import ConfigError, InputError, PipelineError
from ..inference.model import TabularModel
from ..utils.csv_dialect import STANDARD_DIALECT, CsvDialect
from ..utils.frames import require_finite
from .prediction_pipeline import PredictionPipeline, checked_keep_columns

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# Read when --master is not given. Neither set: the master of `spark-submit --master ...` when launched by it,
# else Spark in this process on every core (`local[*]`).
MASTER_ENV_VAR = "SPARK_MASTER"
OUTPUT_FORMATS = ("parquet", "csv")
# Spark's own log on the console; failures reach the user as one line from this module.
SPARK_LOG_LEVEL = "ERROR"
INSTALL_HINT = "install the spark extra: pip install -e '.[spark]'"
# Rows scored on the driver before the job starts, so bad input stops with one line instead of in an executor.
CHECKED_ROWS = 100
_CSV_SUFFIXES = (".csv", ".csv.gz", ".csv.bz2", ".txt")
_PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass(frozen=True)
class SparkPredictionJob:
    """What to score and where to write it; paths may be local or URLs Spark can read (s3a://, hdfs://)."""

    input_path: str
    output_dir: str
    output_format: str = "parquet"
    keep_columns: tuple[str, ...] = ()
    master: str | None = None


def input_format(path: str) -> str:
    """The input's format, "csv" or "parquet": from the file name, or for a local folder from its data files."""
    name = urlparse(path).path if "://" in path else path
    lowered = name.rstrip("/").lower()
    if lowered.endswith(_CSV_SUFFIXES):
        return "csv"
    if lowered.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    folder = Path(path)
    if "://" not in path and folder.is_dir():
        found = {
            kind
            for entry in folder.rglob("*")
            if entry.is_file() and not entry.name.startswith(("_", "."))
            for kind in ("csv", "parquet")
            if entry.name.lower().endswith(_CSV_SUFFIXES if kind == "csv" else _PARQUET_SUFFIXES)
        }
        if len(found) == 1:
            return found.pop()
    raise InputError(f"cannot tell whether {path} is CSV or Parquet: name it *.csv or *.parquet, or a folder of them")


def parse_like_local_engine(batch: pd.DataFrame, missing_values: Sequence[str], decimal: str = ".") -> pd.DataFrame:
    """Spark's CSV reader keeps every field as text; pandas parses the batch the way `--engine local` reads a
    file (same types, same missing-value markers, the same decimal mark), so both engines feed the model identical
    frames."""
    text = batch.to_csv(index=False, sep=";" if decimal == "," else ",")
    return pd.read_csv(
        io.StringIO(text),
        na_values=list(missing_values),
        keep_default_na=True,
        sep=";" if decimal == "," else ",",
        decimal=decimal,
    )


@functools.lru_cache(maxsize=2)
def _model_on_executor(shipped_path: str) -> TabularModel:
    """Load the shipped model once per Python worker, whatever the number of partitions it scores."""
    return TabularModel.load(Path(shipped_path))


@dataclass(frozen=True)
class PartitionScorer:
    """The function `mapInPandas` runs on each partition: small and picklable, it carries names, not the model."""

    model_file: str
    from_csv: bool
    missing_values: tuple[str, ...]
    keep_columns: tuple[str, ...]
    decimal: str = "."

    def __call__(self, batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from pyspark import SparkFiles

        model = _model_on_executor(SparkFiles.get(self.model_file))
        for batch in batches:
            yield self.score(model, batch)

    def score(self, model: TabularModel, batch: pd.DataFrame) -> pd.DataFrame:
        features = parse_like_local_engine(batch, self.missing_values, self.decimal) if self.from_csv else batch
        require_finite(features, model.numeric_columns)
        predicted = model.predict(features.reset_index(drop=True))
        scored = batch[list(self.keep_columns)].reset_index(drop=True)
        if model.is_regression:
            scored[PREDICTION_COLUMN] = predicted[PREDICTION_COLUMN].astype("float64").to_numpy()
            return scored
        scored[PREDICTION_COLUMN] = predicted[PREDICTION_COLUMN].astype(str).to_numpy()
        scored[PROBABILITY_COLUMN] = predicted[PROBABILITY_COLUMN].astype("float64").to_numpy()
        return scored


class SparkPrediction:
    """`predict --engine spark`: read CSV or Parquet, score every partition with the production model, write DIR."""

    def __init__(self, pipeline: PredictionPipeline) -> None:
        self.pipeline = pipeline

    def run(self, job: SparkPredictionJob) -> int:
        if job.output_format not in OUTPUT_FORMATS:
            raise InputError(f"--format must be one of {', '.join(OUTPUT_FORMATS)}, not {job.output_format!r}")
        if "://" not in job.input_path and not Path(job.input_path).exists():
            raise InputError(f"input not found: {job.input_path}")
        source_format = input_format(job.input_path)
        _refuse_existing_output(job.output_dir)
        production = self.pipeline.production_model()
        spark = start_spark(job.master or os.environ.get(MASTER_ENV_VAR))
        try:
            dialect = self.pipeline.settings.config.data_source.input_dialect()
            frame = _read(spark, job.input_path, source_format, dialect)
            scorer = PartitionScorer(
                model_file=production.model_path.name,
                from_csv=source_format == "csv",
                missing_values=tuple(self.pipeline.input_schema(production).missing_values),
                keep_columns=checked_keep_columns(frame.columns, job.keep_columns),
                decimal=dialect.decimal,
            )
            self._check_on_driver(frame, scorer, production.model_path)
            spark.sparkContext.addFile(str(production.model_path))
            regression = self.pipeline.input_schema(production).is_regression
            scored = frame.mapInPandas(scorer, schema=_output_schema(frame, scorer.keep_columns, regression))
            _write(scored, job.output_dir, job.output_format)
            return _written_rows(spark, job.output_dir, job.output_format)
        except PipelineError:
            raise
        except Exception as error:  # Spark wraps every executor failure; keep its last line, not the JVM trace.
            raise _spark_failure(error) from error
        finally:
            spark.stop()

    @staticmethod
    def _check_on_driver(frame: DataFrame, scorer: PartitionScorer, model_path: Path) -> None:
        """Score the first rows here, so missing columns or bad values stop with the local engine's message."""
        head = frame.limit(CHECKED_ROWS).toPandas()
        if head.empty:
            raise InputError("the input has no rows to predict")
        scorer.score(TabularModel.load(model_path), head)


def start_spark(master: str | None = None) -> SparkSession:
    """A Spark session on `master`; a missing pyspark or Java is a configuration error (exit 2), not a trace."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise ConfigError(f"pyspark is not installed: {INSTALL_HINT}") from error
    if master is None or master.startswith("local"):
        # Local Python workers must run this interpreter (its packages), not whatever `python3` is on PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(f"{PACKAGE_NAME}-predict").config("spark.ui.showConsoleProgress", "false")
    if master:
        builder = builder.master(master)
    try:
        spark = builder.getOrCreate()
    except Exception as error:  # pyspark raises a bare runtime error when it cannot start Java
        raise ConfigError(
            f"cannot start Spark on {master or 'the default master'} (Java 17+ must be on PATH or in JAVA_HOME; "
            f"{INSTALL_HINT}): {_last_line(error)}"
        ) from error
    spark.sparkContext.setLogLevel(SPARK_LOG_LEVEL)
    return spark


def _refuse_existing_output(output_dir: str) -> None:
    if "://" not in output_dir and Path(output_dir).exists():
        raise InputError(f"{output_dir} already exists: give --output a new directory (nothing is overwritten)")


def _read(spark: SparkSession, path: str, source_format: str, dialect: CsvDialect = STANDARD_DIALECT) -> DataFrame:
    if source_format == "csv":
        # Every field as text: no inference pass over the data, and pandas parses each batch like --engine local.
        # Written as `predict` reads its files: in a CSV project, as the training file is.
        reader = spark.read.option("header", "true").option("inferSchema", "false")
        return reader.option("sep", dialect.sep).option("encoding", _java_charset(dialect.encoding)).csv(path)
    return spark.read.parquet(path)


def _java_charset(encoding: str) -> str:
    """The Java name of a Python encoding: Spark has no `utf-8-sig`, UTF-8 is the nearest it has."""
    return "UTF-8" if encoding.lower().replace("_", "-") in {"utf-8-sig", "utf8-sig"} else encoding


def _output_schema(frame: DataFrame, keep: Sequence[str], regression: bool = False) -> Any:
    """The kept columns, then a label and its probability, or (a measurement) the predicted number."""
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    kept = [frame.schema[column] for column in keep]
    added = [StructField(PREDICTION_COLUMN, StringType()), StructField(PROBABILITY_COLUMN, DoubleType())]
    if regression:
        added = [StructField(PREDICTION_COLUMN, DoubleType())]
    return StructType([*kept, *added])


def _write(scored: DataFrame, output_dir: str, output_format: str) -> None:
    writer = scored.write.mode("errorifexists")
    if output_format == "csv":
        writer = writer.option("header", "true")
    writer.format(output_format).save(output_dir)


def _written_rows(spark: SparkSession, output_dir: str, output_format: str) -> int:
    """Count what was written (Parquet answers from its footers) rather than scoring the input twice."""
    reader = spark.read.option("header", "true") if output_format == "csv" else spark.read
    return int(reader.format(output_format).load(output_dir).count())


def _spark_failure(error: Exception) -> PipelineError:
    """An error raised on an executor arrives as one long text; keep the line that says what went wrong."""
    message = _last_line(error)
    if "InputError" in message or any(code in message for code in ("PATH_NOT_FOUND", "PATH_ALREADY_EXISTS")):
        return InputError(f"Spark could not score the input: {message}")
    return PipelineError(f"the Spark job failed: {message}")


def _last_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    errors = [line for line in lines if "Error:" in line or "Exception:" in line]
    return (errors or lines or [type(error).__name__])[-1][:500]
