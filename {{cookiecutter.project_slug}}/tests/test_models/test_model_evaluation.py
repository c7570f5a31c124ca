from __future__ import annotations

import dataclasses

import pytest

from {{ cookiecutter.package_name }}.components.model_evaluation import ModelEvaluation
from {{ cookiecutter.package_name }}.exception import ConfigError


def _evaluate(configuration, validation_artifact, trainer_artifact, **changes):
    config = dataclasses.replace(configuration.model_evaluation(), **changes)
    return ModelEvaluation(config, validation_artifact, trainer_artifact).run()


def test_first_good_model_is_accepted(configuration, validation_artifact, trainer_artifact) -> None:
    result = _evaluate(configuration, validation_artifact, trainer_artifact)

    assert result.accepted, result.reason
    assert result.production_metrics is None
    assert "no production model" in result.reason


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
    assert "not better than production v0001" in result.reason


def test_lower_is_better_for_cost(configuration, validation_artifact, trainer_artifact) -> None:
    result = _evaluate(
        configuration, validation_artifact, trainer_artifact, metric="cost", min_score=1e9, min_improvement=0.0
    )
    assert result.accepted, result.reason

    strict = _evaluate(configuration, validation_artifact, trainer_artifact, metric="cost", min_score=0.0)
    assert not strict.accepted


def test_unknown_metric_is_a_config_error(configuration, validation_artifact, trainer_artifact) -> None:
    with pytest.raises(ConfigError, match="f1"):
        _evaluate(configuration, validation_artifact, trainer_artifact, metric="happiness")
