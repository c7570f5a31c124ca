"""Command line: `python -m {{ cookiecutter.package_name }} train | tune | predict | evaluate | models | promote{% if cookiecutter.serving == "fastapi" %} | serve{% endif %}`.

Exit codes: 0 success (a model that is not promoted is a successful run), 1 the pipeline or a gate failed,
2 bad input or configuration, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from {{ cookiecutter.package_name }} import __version__
from {{ cookiecutter.package_name }}.configuration import Settings, load_settings
from {{ cookiecutter.package_name }}.constants import DATA_VALIDATION
from {{ cookiecutter.package_name }}.exception import PipelineError
from {{ cookiecutter.package_name }}.logger import LOG_LEVELS, configure_logging
from {{ cookiecutter.package_name }}.monitoring.command import add_monitor_command
from {{ cookiecutter.package_name }}.pipeline.prediction_pipeline import PredictionPipeline
from {{ cookiecutter.package_name }}.pipeline.training_pipeline import TrainingPipeline
from {{ cookiecutter.package_name }}.registry.factory import build_model_registry
from {{ cookiecutter.package_name }}.reports.run_summary import format_run_summary
from {{ cookiecutter.package_name }}.tracking import build_tracker
from {{ cookiecutter.package_name }}.tuning.command import add_tune_command


def _train(settings: Settings, arguments: argparse.Namespace) -> int:
    pipeline = TrainingPipeline(settings, build_model_registry(settings))
    result = pipeline.run()
    print(format_run_summary(pipeline.steps, "promoted" if result.promoted else "not promoted", result.reason,
                             result.artifact_dir / DATA_VALIDATION / "report.html"))
    print(result.summary())
    return 0


def _predict(settings: Settings, arguments: argparse.Namespace) -> int:
    rows = PredictionPipeline(settings, build_model_registry(settings)).predict_file(arguments.input, arguments.output)
    print(f"wrote {rows} predictions to {arguments.output}")
    return 0


def _evaluate(settings: Settings, arguments: argparse.Namespace) -> int:
    metrics = PredictionPipeline(settings, build_model_registry(settings)).evaluate_file(arguments.input)
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
        score = metadata["metrics"][metadata["metric"]]
        print(f"{marker} {version}  {metadata['created_at']}  {metadata['metric']}={score:.4f}  {metadata['run_id']}")
    return 0


{% if cookiecutter.serving == "fastapi" -%}
def _serve(settings: Settings, arguments: argparse.Namespace) -> int:
    import uvicorn

    from {{ cookiecutter.package_name }}.api.app import create_app

    options = settings.config.serving
    host, port = arguments.host or options.host, arguments.port or options.port
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None)
    return 0


{% endif -%}
def _promote(settings: Settings, arguments: argparse.Namespace) -> int:
    model = build_model_registry(settings).activate(arguments.version)
    build_tracker(settings).promote(model.version)
    print(f"{model.version} is now the production model")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="{{ cookiecutter.package_name }}", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=LOG_LEVELS,
        help="override the level set in config/logging_config.yaml",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("train", help="run the training pipeline and promote the model if it is better").set_defaults(
        handler=_train
    )
    add_tune_command(commands)
    add_monitor_command(commands)
    predict = commands.add_parser("predict", help="predict every row of a CSV file with the production model")
    predict.add_argument("--input", type=Path, required=True, help="CSV with the schema's feature columns")
    predict.add_argument("--output", type=Path, required=True, help="where to write the predictions CSV")
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
{%- if cookiecutter.serving == "fastapi" %}
    serve = commands.add_parser("serve", help="serve the production model over HTTP (see README.md)")
    serve.add_argument("--host", help="address to listen on (default: serving.host in config.yaml)")
    serve.add_argument("--port", type=int, help="port to listen on (default: serving.port in config.yaml)")
    serve.set_defaults(handler=_serve)
{%- endif %}
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        configure_logging(settings.project_root, arguments.log_level)
        return arguments.handler(settings, arguments)
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted: the production model was not changed", file=sys.stderr)
        return 130
