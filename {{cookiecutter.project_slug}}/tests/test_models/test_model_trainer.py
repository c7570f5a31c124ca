from __future__ import annotations

from {{ cookiecutter.package_name }}.components.model_trainer import ModelTrainer
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.training.custom_estimator import CostSensitiveClassifier


def test_candidate_is_saved_under_experiments_and_predicts_labels(trainer_artifact, sample_frame, settings) -> None:
    assert trainer_artifact.model_path.parent.name == "test-run"
    assert trainer_artifact.model_path.parent.parent.name == "experiments"

    model = TabularModel.load(trainer_artifact.model_path)
    predictions = model.predict(sample_frame.head(50), probabilities=True)

    assert len(predictions) == 50
    assert set(predictions["prediction"]) <= set(settings.schema.classes)
    assert predictions["probability"].between(0.5 * min(model.threshold, 1 - model.threshold), 1).all()
    assert list(predictions.columns) == ["prediction", "probability", "probability_neg", "probability_pos"]
    assert trainer_artifact.train_metrics["f1"] > 0.5


def test_threshold_is_tuned_stored_and_used(trainer_artifact, sample_frame) -> None:
    model = TabularModel.load(trainer_artifact.model_path)
    probabilities = model.predict_proba(sample_frame)
    labels = model.predict(sample_frame)["prediction"]

    assert model.threshold == trainer_artifact.threshold
    assert 0.0 < model.threshold < 1.0
    expected = ["pos" if score >= model.threshold else "neg" for score in probabilities[:, 1]]
    assert labels.tolist() == expected
    assert model.classes == ("neg", "pos")


def test_the_custom_estimator_decides_with_the_threshold_it_chose(configuration, transformation_artifact) -> None:
    settings = configuration.model_trainer().model_copy(
        update={"estimator": "cost_sensitive_forest", "params": {"cost_sensitive_forest": {}}}
    )

    trained = ModelTrainer(settings, transformation_artifact).run()

    model = TabularModel.load(trained.model_path)
    chosen = model.pipeline.steps[-1][1]
    chosen = chosen if isinstance(chosen, CostSensitiveClassifier) else chosen.estimator_
    assert isinstance(chosen, CostSensitiveClassifier)
    assert model.threshold == trained.threshold == chosen.threshold_
