"""The `tune` command: `python -m <package> tune --trials N [--timeout S] [--apply]`."""

from __future__ import annotations

import argparse
import logging
import math

from ..builders.tracker import build_tracker
from ..configuration import Settings, load_settings
from ..constants import CONFIG_DIR, MODEL_CONFIG_FILE
from ..exception import ConfigError
from ..utils.arguments import Parser, decimal_number, whole_number
from ..utils.files import atomic_write_text
from ..utils.run_id import new_run_id
from .config_writer import apply_params

# Bounded so that a plain `tune` finishes in under a minute on the sample.
DEFAULT_TRIALS = 10
DEFAULT_TIMEOUT_SECONDS = 45.0
TUNE_DIR = "tune"


def add_tune_command(commands: argparse._SubParsersAction[Parser]) -> None:
    tune = commands.add_parser("tune", help="search the estimator's hyperparameters (search_space in model_config)")
    tune.add_argument("--trials", type=_positive_int, default=DEFAULT_TRIALS, help=f"default {DEFAULT_TRIALS}")
    tune.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT_SECONDS,
        help=f"seconds, default {DEFAULT_TIMEOUT_SECONDS:g}",
    )
    tune.add_argument("--apply", action="store_true", help="write the best parameters into config/model_config.yaml")
    tune.set_defaults(handler=run_tune)


def run_tune(settings: Settings, arguments: argparse.Namespace) -> int:
    """Split the data as `train` does, search on the training rows, keep the study beside the run's artifacts."""
    import optuna  # imported here, like the training code: the other commands do not pay for them

    from ..builders.data_source import build_data_source
    from ..components.data_ingestion import DataIngestion
    from ..pipeline.training_config import TrainingConfiguration
    from ..utils.frames import read_csv_file
    from .search import HyperparameterSearch

    optuna.logging.set_verbosity(logging.WARNING)
    run_id = new_run_id()
    configuration = TrainingConfiguration(settings, run_id, production=None)
    ingestion = DataIngestion(configuration.data_ingestion(), build_data_source(settings)).run()
    train = read_csv_file(ingestion.train_path, settings.schema.missing_values)
    study_dir = configuration.pipeline.artifact_dir / TUNE_DIR
    tracker = build_tracker(settings)
    with tracker.study(f"tune-{run_id}", configuration.pipeline.artifact_dir):
        result = HyperparameterSearch(settings, train, study_dir, tracker).run(arguments.trials, arguments.timeout)
    print(result.summary())
    print(f"study: {study_dir}")
    if arguments.apply:
        path = settings.path(f"{CONFIG_DIR}/{MODEL_CONFIG_FILE}")
        original = path.read_text(encoding="utf-8")
        apply_params(path, result.estimator, result.best_params)
        try:
            load_settings(settings.project_root)  # the edited file must still be valid
        except ConfigError:
            atomic_write_text(path, original)
            raise
        print(f"wrote the best parameters into {CONFIG_DIR}/{MODEL_CONFIG_FILE} (params.{result.estimator})")
    return 0


def _seconds(text: str) -> float:
    """A number of seconds above 0: with a negative or NaN timeout the search would stop before its first trial."""
    try:
        value = decimal_number(text)
    except argparse.ArgumentTypeError:
        value = math.nan  # `1_0`, other scripts' digits: no number here; the line below says what is
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds above 0")
    return value


def _positive_int(text: str) -> int:
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value
