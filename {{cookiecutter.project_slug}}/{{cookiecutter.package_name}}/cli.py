"""Command line: `python -m <package> COMMAND`.

Commands: schema | train | tune | predict | evaluate | models | promote | monitor, and serve in a project that
serves over HTTP.

Exit codes: 0 success (a model that is not promoted is a successful run), 1 the pipeline or a gate failed,
2 bad input or configuration, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .builders.model_registry import build_model_registry
from .builders.tracker import build_tracker
from .configuration import Settings, load_settings
from .configuration.settings import find_project_root
from .constants import DATA_VALIDATION, PACKAGE_NAME
from .constants.answers import CSV_SOURCE, FASTAPI_SERVING, VERSION
from .exception import InputError, PipelineError
from .logger import LOG_LEVELS, configure_logging, log_traceback
from .monitoring.command import add_monitor_command
from .reports.run_summary import format_run_summary
from .tuning.command import add_tune_command
from .utils.arguments import bounded_int, csv_encoding, csv_separator
from .utils.redaction import redact

if TYPE_CHECKING:
    from .pipeline.prediction_pipeline import PredictionPipeline


def _schema(arguments: argparse.Namespace) -> int:
    """Runs without loading the settings: the schema it replaces may not fit the new data."""
    from .schema_inference.command import infer_schema_file

    lines = infer_schema_file(
        find_project_root(),
        arguments.input,
        arguments.target,
        arguments.positive,
        from_source=getattr(arguments, "from_source", False),
        sample_rows=getattr(arguments, "sample_rows", 0),
        sep=arguments.sep,
        decimal=arguments.decimal,
        encoding=arguments.encoding,
        task=arguments.task,
    )
    print("\n".join(lines))
    return 0


def _train(settings: Settings, arguments: argparse.Namespace) -> int:
    # Imported here, like every command's pipeline: `--help` and the other commands do not pay for them.
    from .pipeline.training_pipeline import TrainingPipeline

    pipeline = TrainingPipeline(settings, build_model_registry(settings), show_progress=True)
    result = pipeline.run()
    decision = "promoted" if result.promoted else "not promoted"
    report = result.artifact_dir / DATA_VALIDATION / "report.html"
    print(format_run_summary(pipeline.steps, decision, result.reason, report, result.report))
    print(result.summary())
    return 0


def _prediction_pipeline(settings: Settings) -> PredictionPipeline:
    """Imported here: pandas and the scoring code are needed only by the commands that score rows."""
    from .pipeline.prediction_pipeline import PredictionPipeline

    return PredictionPipeline(settings, build_model_registry(settings))


def _predict(settings: Settings, arguments: argparse.Namespace) -> int:
    if arguments.engine == "spark":
        return _predict_on_spark(settings, arguments)
    spark_only = [flag for flag, value in _spark_options(arguments).items() if value]
    if spark_only:
        raise InputError(f"{', '.join(spark_only)} only apply to --engine spark")
    pipeline = _prediction_pipeline(settings)
    rows = pipeline.predict_file(
        Path(arguments.input),
        Path(arguments.output),
        arguments.chunk_rows,
        probabilities=arguments.probabilities,
        keep=arguments.keep or (),
        intervals=arguments.intervals,
    )
    print(f"wrote {rows} predictions to {arguments.output}")
    return 0


def _spark_options(arguments: argparse.Namespace) -> dict[str, object]:
    return {"--format": arguments.output_format, "--master": arguments.master}


def _predict_on_spark(settings: Settings, arguments: argparse.Namespace) -> int:
    from .pipeline.spark_prediction import (
        SparkPrediction,
        SparkPredictionJob,
    )

    job = SparkPredictionJob(
        input_path=arguments.input,
        output_dir=arguments.output,
        output_format=arguments.output_format or "parquet",
        keep_columns=tuple(arguments.keep or ()),
        master=arguments.master,
    )
    rows = SparkPrediction(_prediction_pipeline(settings)).run(job)
    print(f"wrote {rows} predictions to {arguments.output} ({job.output_format})")
    return 0


def _evaluate(settings: Settings, arguments: argparse.Namespace) -> int:
    metrics = _prediction_pipeline(settings).evaluate_file(arguments.input)
    seen = metrics.get("rows_seen_in_training")
    if seen:
        print(
            f"warning: {seen} rows of {arguments.input} are rows the model trained on, so the metrics of all rows "
            "flatter it; `held_out` has those of the other rows",
            file=sys.stderr,
        )
    print(json.dumps(metrics, indent=2, sort_keys=True))
    return 0


def _models(settings: Settings, arguments: argparse.Namespace) -> int:
    registry = build_model_registry(settings)
    current = registry.current_version()
    versions = registry.versions()
    if not versions:
        print("no production model yet")
    for version in versions:
        metadata = registry.get(version).metadata
        marker = "*" if version == current else " "
        metric = metadata.get("metric", "?")
        score = (metadata.get("metrics") or {}).get(metric)
        shown = f"{score:.4f}" if isinstance(score, (int, float)) else "?"
        line = f"{marker} {version}  {metadata.get('created_at', '?')}  {metric}={shown}  {metadata.get('run_id', '?')}"
        contract, change = metadata.get("data_contract"), metadata.get("data_contract_change")
        if contract:  # the data contract it was trained under, and what changed when it was new
            line += f"  data {contract[:8]}" + (f" (new: {change})" if change else "")
        print(line)
    return 0


def _promote(settings: Settings, arguments: argparse.Namespace) -> int:
    tracker = build_tracker(settings)
    tracker.check()  # a broken tracker fails here, with production untouched, not after CURRENT has moved
    model = build_model_registry(settings).activate(arguments.version)
    tracker.promote(model.version)
    print(f"{model.version} is now the production model")
    return 0


def _chunk_rows(text: str) -> int:
    return bounded_int(text, 1_000, 10_000_000)


def _sample_rows(text: str) -> int:
    return bounded_int(text, 1, 100_000_000)


class _OneLineParser(argparse.ArgumentParser):
    """Usage mistakes are reported like every other error: one line on stderr, exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    description = (__doc__ or "").partition("\n")[0] or None  # None under `python -OO`, which drops docstrings
    parser = _OneLineParser(prog=PACKAGE_NAME, description=description)
    parser.add_argument("--version", action="version", version=f"%(prog)s {VERSION}")
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        help="override the level set in config/logging_config.yaml",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    schema = commands.add_parser("schema", help="infer config/schema.yaml from your data and point training at it")
    origin = schema.add_mutually_exclusive_group(required=True)
    readable = "CSV (or Parquet)" if CSV_SOURCE else "CSV"
    origin.add_argument("--input", type=Path, help=f"a {readable} file with the features and the target")
    if not CSV_SOURCE:
        origin.add_argument(
            "--from-source", action="store_true", help="read a sample through the data source in config/config.yaml"
        )
    schema.add_argument("--target", required=True, help="the column to predict")
    schema.add_argument("--positive", help="two classes: the class the model must find (default: the rarer)")
    schema.add_argument(
        "--task", choices=("classification", "regression"), help="override the task decided from the target"
    )
    schema.add_argument("--sep", type=csv_separator, help="the file's delimiter: , ; tab or | (default: detected)")
    schema.add_argument("--decimal", choices=(".", ","), help="the file's decimal mark (default: detected)")
    schema.add_argument("--encoding", type=csv_encoding, help="e.g. utf-8, cp1252 (default: UTF-8, else cp1252)")
    if not CSV_SOURCE:
        schema.add_argument("--sample-rows", type=_sample_rows, default=10000, help="rows read with --from-source")
    schema.set_defaults(handler=_schema, needs_settings=False)

    commands.add_parser("train", help="run the training pipeline and promote the model if it is better").set_defaults(
        handler=_train
    )
    add_tune_command(commands)
    add_monitor_command(commands)
    predict = commands.add_parser("predict", help="predict every row of a CSV file with the production model")
    # Text, not Path: with --engine spark these may be URLs (s3a://bucket/key), which Path would mangle.
    predict.add_argument("--input", required=True, help="CSV with the schema's feature columns (spark: or Parquet)")
    predict.add_argument("--output", required=True, help="where to write the predictions CSV (spark: a new folder)")
    predict.add_argument(
        "--engine",
        choices=("local", "spark"),
        default="local",
        help="local: this process; spark: Apache Spark, for CSV or Parquet files and folders (needs the spark extra)",
    )
    predict.add_argument(
        "--format", dest="output_format", choices=("parquet", "csv"), help="spark: part files to write (parquet)"
    )
    predict.add_argument("--master", help="spark: master URL (default: $SPARK_MASTER, else local[*])")
    predict.add_argument(
        "--keep", action="append", metavar="COLUMN", help="an input column to copy first, e.g. an id (repeatable)"
    )
    predict.add_argument(
        "--probabilities", action="store_true", help="add a probability_<class> column for every class"
    )
    predict.add_argument(
        "--intervals",
        action="store_true",
        help="a measurement (regression): add prediction_lower and prediction_upper, the prediction interval",
    )
    predict.add_argument(
        "--chunk-rows",
        type=_chunk_rows,
        help="rows scored at a time, 1000-10000000 (default: batch_prediction.chunk_rows in config.yaml)",
    )
    predict.set_defaults(handler=_predict)
    evaluate = commands.add_parser("evaluate", help="print the production model's metrics on a labelled CSV")
    evaluate.add_argument("--input", type=Path, required=True, help="CSV with features and the target column")
    evaluate.set_defaults(handler=_evaluate)
    commands.add_parser("models", help="list production model versions (* marks the current one)").set_defaults(
        handler=_models
    )
    promote = commands.add_parser("promote", help="make an existing version the production model (rollback)")
    promote.add_argument("version", help="a version listed by the models command, e.g. v0001")
    promote.set_defaults(handler=_promote)
    if FASTAPI_SERVING:
        from .api.command import add_serve_command

        add_serve_command(commands)
    return parser


def _one_line(message: str) -> str:
    """Messages from libraries (pandas, pydantic) may span lines; the CLI promises one line per error, and never
    a credential."""
    return redact(" ".join(message.split()))


def _report(message: str, error: BaseException) -> None:
    """One line on stderr; the traceback goes to the log file (logs/pipeline.log), never the terminal."""
    print(f"error: {message}", file=sys.stderr)
    log_traceback(message, error)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        arguments = build_parser().parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a usage mistake already reported on one line
        return stop.code if isinstance(stop.code, int) else 0
    try:
        if not getattr(arguments, "needs_settings", True):
            configure_logging(find_project_root(), arguments.log_level)
            standalone: Callable[[argparse.Namespace], int] = arguments.handler
            return standalone(arguments)
        settings = load_settings()
        configure_logging(settings.project_root, arguments.log_level)
        handler: Callable[[Settings, argparse.Namespace], int] = arguments.handler
        return handler(settings, arguments)
    except PipelineError as error:
        _report(_one_line(str(error)), error)
        return error.exit_code
    except OSError as error:  # a disk full, a permission denied: name the file, not a traceback
        where = f": {error.filename}" if error.filename else ""
        _report(_one_line(f"{error.strerror or error}{where}"), error)
        return 1
    except Exception as error:  # a bug or a library's surprise: one line, the traceback in the log file
        _report(_one_line(f"unexpected {type(error).__name__}: {error} (the traceback is in the log file)"), error)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the production model was not changed", file=sys.stderr)
        return 130
