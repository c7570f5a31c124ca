from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.components.model_evaluation import ModelEvaluation
from {{ cookiecutter.package_name }}.exception import ConfigError
from {{ cookiecutter.package_name }}.inference.labels import encode_labels
from {{ cookiecutter.package_name }}.inference.model import TabularModel


def _evaluate(configuration, validation_artifact, trainer_artifact, **changes):
    config = configuration.model_evaluation().model_copy(update=changes)
    return ModelEvaluation(config, validation_artifact, trainer_artifact).run()


def test_first_good_model_is_accepted(configuration, validation_artifact, trainer_artifact) -> None:
    result = _evaluate(configuration, validation_artifact, trainer_artifact)

    assert result.accepted, result.reason
    assert result.production_metrics is None
    assert "best trivial baseline" in result.reason
    assert result.candidate_metrics["f1"] > result.baseline_metrics["f1"]


def test_model_below_the_minimum_is_rejected(configuration, validation_artifact, trainer_artifact) -> None:
    result = _evaluate(configuration, validation_artifact, trainer_artifact, min_score=1.01)

    assert not result.accepted
    assert "does not reach the minimum" in result.reason


def test_equal_model_is_not_better_than_production(configuration, validation_artifact, trainer_artifact) -> None:
    result = _evaluate(
        configuration,
        validation_artifact,
        trainer_artifact,
        production_model_path=trainer_artifact.model_path,
        production_version="v0001",
    )

    assert not result.accepted
    assert result.production_metrics == result.candidate_metrics
    assert "does not beat production v0001" in result.reason
    assert "margin" in result.reason


def test_lower_is_better_for_cost(configuration, validation_artifact, trainer_artifact) -> None:
    """With no margin the candidate passes exactly when its cost is below the best trivial baseline's, whatever
    the model library makes of the sample; a gate reading cost as higher-is-better would decide the other way."""
    result = _evaluate(
        configuration,
        validation_artifact,
        trainer_artifact,
        metric="cost",
        min_score=1e9,
        min_improvement=0.0,
        standard_errors=0.0,
    )
    assert result.baseline_metrics is not None
    candidate, baseline = result.candidate_metrics["cost"], result.baseline_metrics["cost"]
    assert candidate != baseline
    assert result.accepted == (candidate < baseline), result.reason

    strict = _evaluate(configuration, validation_artifact, trainer_artifact, metric="cost", min_score=0.0)
    assert not strict.accepted


def test_a_one_class_predictor_is_never_promoted_even_on_accuracy(
    configuration, validation_artifact, trainer_artifact, tmp_path
) -> None:
    model = TabularModel.load(trainer_artifact.model_path)
    train = pd.read_csv(validation_artifact.train_path, na_values=["na"])
    majority = Pipeline([("constant", DummyClassifier(strategy="most_frequent"))])
    majority.fit(model.features(train), encode_labels(train["class"], model.classes))
    always_negative = TabularModel(majority, model.feature_types, model.classes, model.positive_label, threshold=0.5)
    path = always_negative.save(tmp_path / "model.joblib")
    lazy = dataclasses.replace(trainer_artifact, model_path=path)

    result = _evaluate(configuration, validation_artifact, lazy, metric="accuracy")

    assert result.candidate_metrics["accuracy"] > 0.9
    assert not result.accepted
    assert "best trivial baseline" in result.reason


def test_margin_over_production_grows_with_the_noise_of_a_small_test_set(
    configuration, validation_artifact, trainer_artifact
) -> None:
    result = _evaluate(
        configuration,
        validation_artifact,
        trainer_artifact,
        production_model_path=trainer_artifact.model_path,
        production_version="v0001",
        min_improvement=0.0,
    )
    report = json.loads(result.report_path.read_text())

    assert report["margin"] > 0.01
    assert report["baseline"]["strategy"]


def test_unknown_metric_is_a_config_error(configuration, validation_artifact, trainer_artifact) -> None:
    with pytest.raises(ConfigError, match="f1"):
        _evaluate(configuration, validation_artifact, trainer_artifact, metric="happiness")
