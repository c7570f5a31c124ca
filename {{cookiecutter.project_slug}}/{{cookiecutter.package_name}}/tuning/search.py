"""An Optuna study over the chosen estimator's search space, scored by cross-validation on training rows only.

Each fold fits the pipeline `train` fits (`training.pipeline_builder`: same preprocessing, oversampling and seeds,
fitted on the fold's training part only) and scores its held-out part as the saved model decides, at the default
threshold (`fit_model_pipeline` says why). A trial whose first folds fall behind the median of earlier trials is
pruned. The seed of the sampler and of the folds comes from model_config.yaml.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import optuna
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import KFold, StratifiedKFold

from ..configuration import Settings
from ..entity.config_entity import LOWER_IS_BETTER, SearchDimension
from ..exception import ConfigError
from ..inference.labels import target_array
from ..inference.model import TabularModel
from ..logger import get_logger
from ..tracking import Tracker
from ..training.estimators import categorical_encoding
from ..training.metrics import classification_metrics
from ..training.pipeline_builder import build_model_pipeline, fit_model_pipeline
from ..training.preprocessing import build_preprocessor
from ..training.regression_metrics import regression_metrics
from ..utils.files import write_json
from ..utils.frames import typed_features
from ..utils.progress import progress_bar

logger = get_logger(__name__)
FOLDS = 3
STUDY_FILE = "study.db"
SUMMARY_FILE = "study.json"


@dataclass(frozen=True)
class TuningResult:
    estimator: str
    metric: str
    best_params: dict[str, Any]
    best_score: float
    trials: int
    pruned: int
    study_dir: Path

    def summary(self) -> str:
        return (
            f"{self.trials} trials ({self.pruned} pruned) of {self.estimator}: best cross-validated "
            f"{self.metric}={self.best_score:.4f} with {json.dumps(self.best_params, sort_keys=True)}"
        )


def suggest(trial: optuna.Trial, name: str, dimension: SearchDimension) -> Any:
    if dimension.type == "categorical" and dimension.choices:
        return trial.suggest_categorical(name, dimension.choices)
    if dimension.low is None or dimension.high is None:  # SearchDimension's validator rules this out
        raise ValueError(f"search dimension {name} has neither choices nor a range")
    if dimension.type == "int":
        return trial.suggest_int(name, int(dimension.low), int(dimension.high), log=dimension.log)
    return trial.suggest_float(name, dimension.low, dimension.high, log=dimension.log)


class HyperparameterSearch:
    def __init__(self, settings: Settings, train: pd.DataFrame, study_dir: Path, tracker: Tracker) -> None:
        model = settings.model
        self.settings = settings
        self.estimator = model.estimator
        self.space = model.search_space.get(model.estimator, {})
        if not self.space:
            raise ConfigError(f"config/model_config.yaml: search_space.{model.estimator} is empty: nothing to tune")
        schema = settings.schema
        self.features = typed_features(train, schema.feature_types)
        self.regression = schema.is_regression
        self.labels = target_array(train, schema)
        self.metric = settings.config.model_evaluation.metric
        self.study_dir = study_dir
        self.tracker = tracker

    def run(self, trials: int, timeout: float | None) -> TuningResult:
        seed = self.settings.model.random_state
        self.study_dir.mkdir(parents=True, exist_ok=True)
        study = optuna.create_study(
            study_name=self.study_dir.parent.name,
            storage=f"sqlite:///{(self.study_dir / STUDY_FILE).as_posix()}",
            direction="minimize" if self.metric in LOWER_IS_BETTER else "maximize",
            sampler=optuna.samplers.TPESampler(seed=seed),
            pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1),
        )
        with progress_bar("tune", total=trials, unit="trial") as bar:

            def count(_study: optuna.Study, _trial: optuna.trial.FrozenTrial) -> None:
                bar.update()

            study.optimize(self._objective, n_trials=trials, timeout=timeout, callbacks=[self._report, count])
        finished = [trial for trial in study.trials if trial.state == optuna.trial.TrialState.COMPLETE]
        if not finished:
            raise ConfigError("no trial finished: raise --timeout or --trials")
        result = TuningResult(
            estimator=self.estimator,
            metric=self.metric,
            best_params=dict(study.best_params),
            best_score=float(study.best_value),
            trials=len(study.trials),
            pruned=sum(trial.state == optuna.trial.TrialState.PRUNED for trial in study.trials),
            study_dir=self.study_dir,
        )
        write_json(
            self.study_dir / SUMMARY_FILE,
            {
                **{key: value for key, value in result.__dict__.items() if key != "study_dir"},
                "folds": FOLDS,
                "seed": seed,
                "trials_table": [
                    {"number": trial.number, "state": trial.state.name, "value": trial.value, "params": trial.params}
                    for trial in study.trials
                ],
            },
        )
        return result

    def _objective(self, trial: optuna.Trial) -> float:
        params = {**self.settings.model.estimator_params}
        params |= {name: suggest(trial, name, dimension) for name, dimension in self.space.items()}
        pipeline = self.pipeline(params)
        splitter = KFold if self.regression else StratifiedKFold  # a measurement has no classes to stratify by
        folds = splitter(n_splits=FOLDS, shuffle=True, random_state=self.settings.model.random_state)
        scores = []
        for step, (fit_rows, check_rows) in enumerate(folds.split(self.features, self.labels)):
            scores.append(self._fold_score(pipeline, fit_rows, check_rows))
            trial.report(float(np.mean(scores)), step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return float(np.mean(scores))

    def pipeline(self, params: dict[str, Any]) -> Any:
        """The unfitted pipeline `train` would fit with these estimator parameters (config.yaml's oversampling)."""
        return build_model_pipeline(
            build_preprocessor(self.settings.schema.feature_types, categorical_encoding(self.estimator)),
            self.estimator,
            params,
            self.settings.model.random_state,
            self.settings.config.data_transformation.oversample_ratio,
            regression=self.regression,
        )

    def _fold_score(self, pipeline: Any, fit_rows: NDArray[Any], check_rows: NDArray[Any]) -> float:
        """Fit on one fold's training part and score the held-out part as the saved model would decide it."""
        schema = self.settings.schema
        if self.regression:
            fitted = clone(pipeline).fit(self.features.iloc[fit_rows], self.labels[fit_rows])
            estimated = fitted.predict(self.features.iloc[check_rows])
            return regression_metrics(self.labels[check_rows], estimated)[self.metric]
        fitted, threshold = fit_model_pipeline(
            pipeline,
            self.features.iloc[fit_rows],
            self.labels[fit_rows],
            self.metric,
            self.settings.model.random_state,
            threshold_folds=0,
            costs=self.settings.config.model_evaluation.costs,
        )
        model = TabularModel(fitted, schema.feature_types, schema.classes, schema.positive_label, threshold)
        probabilities = model.predict_proba(self.features.iloc[check_rows])
        costs = self.settings.config.model_evaluation.costs
        metrics = classification_metrics(
            self.labels[check_rows], model.class_indices(probabilities), probabilities, costs
        )
        return metrics[self.metric]

    def _report(self, study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
        logger.info("trial %d %s: %s %s", trial.number, trial.state.name.lower(), self.metric, trial.value)
        self.tracker.log_trial(trial.number, trial.params, trial.value)
