from __future__ import annotations

from {{ cookiecutter.package_name }}.ml.model import SensorModel


def test_candidate_is_saved_under_experiments_and_predicts_labels(trainer_artifact, sample_frame, settings) -> None:
    assert trainer_artifact.model_path.parent.name == "test-run"
    assert trainer_artifact.model_path.parent.parent.name == "experiments"

    predictions = SensorModel.load(trainer_artifact.model_path).predict(sample_frame.head(50))

    assert len(predictions) == 50
    assert set(predictions["prediction"]) <= {settings.schema.positive_label, settings.schema.negative_label}
    assert predictions["probability"].between(0, 1).all()
    assert trainer_artifact.train_metrics["f1"] > 0.5
