"""The whole project on its sample data, through the command line, in a temporary project directory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.constants import (
    DATA_INGESTION,
    DATA_TRANSFORMATION,
    DATA_VALIDATION,
    MODEL_EVALUATION,
    MODEL_PUSHER,
    MODEL_TRAINER,
)
from {{ cookiecutter.package_name }}.registry import model_registry

SAMPLE = Path("data") / "raw" / "sensor_sample.csv"


def _current(project: Path) -> str:
    return (project / "models" / "production" / "CURRENT").read_text().strip()


def test_train_promotes_then_refuses_an_equal_model(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train"]) == 0
    first = capsys.readouterr().out
    assert "promoted as v0001" in first

    metadata = json.loads((project / "models" / "production" / "v0001" / "metadata.json").read_text())
    assert metadata["version"] == "v0001"
    assert metadata["metrics"]["f1"] > 0.6
    assert metadata["training_data_fingerprint"].startswith("sha256:")
    assert {"created_at", "template_version", "package_version", "run_id"} <= set(metadata)
    run_dir = project / "artifacts" / metadata["run_id"]
    steps = [DATA_INGESTION, DATA_VALIDATION, DATA_TRANSFORMATION, MODEL_TRAINER, MODEL_EVALUATION, MODEL_PUSHER]
    for step in steps:
        assert json.loads((run_dir / step / "artifact.json").read_text())
    split = json.loads((run_dir / DATA_INGESTION / "artifact.json").read_text())["split_spec"]
    assert (split["method"], split["key_column"], split["stratified_by"]) == ("hash", None, "class")
    assert "by a hash of 20 schema columns and the target, per class" in first

    assert main(["train"]) == 0
    second = capsys.readouterr().out
    assert "not promoted" in second
    assert "does not beat production v0001" in second
    assert _current(project) == "v0001"
    assert not (project / "models" / "production" / "v0002").exists()
    second_run = max((project / "artifacts").iterdir(), key=lambda path: path.name)
    drift = yaml.safe_load((second_run / DATA_VALIDATION / "report.yaml").read_text())["drift"]
    assert drift["reference_version"] == "v0001"
    assert drift["drifted_columns"] == []
    assert drift["target_psi"] == pytest.approx(0.0, abs=1e-6)  # the same training rows: the same classes' shares


def test_predict_writes_one_row_per_input_row(project: Path, tmp_path: Path) -> None:
    assert main(["train"]) == 0
    output = tmp_path / "predictions.csv"

    assert main(["predict", "--input", str(project / SAMPLE), "--output", str(output)]) == 0

    predictions = pd.read_csv(output)
    assert len(predictions) == len(pd.read_csv(project / SAMPLE))
    assert set(predictions["prediction"]) == {"pos", "neg"}
    assert predictions["probability"].between(0, 1).all()


def test_predict_without_target_and_with_missing_columns(project: Path, tmp_path: Path, capsys) -> None:
    assert main(["train"]) == 0
    sample = pd.read_csv(project / SAMPLE)
    unlabelled = tmp_path / "unlabelled.csv"
    sample.drop(columns=["class"]).head(10).to_csv(unlabelled, index=False)
    broken = tmp_path / "broken.csv"
    sample.drop(columns=["aa_000", "ag_001"]).to_csv(broken, index=False)

    assert main(["predict", "--input", str(unlabelled), "--output", str(tmp_path / "ok.csv")]) == 0
    assert len(pd.read_csv(tmp_path / "ok.csv")) == 10

    assert main(["predict", "--input", str(broken), "--output", str(tmp_path / "no.csv")]) == 2
    error = capsys.readouterr().err
    assert "aa_000" in error
    assert "ag_001" in error
    assert not (tmp_path / "no.csv").exists()


def test_predict_before_any_training_says_what_to_do(project: Path, tmp_path: Path, capsys) -> None:
    assert main(["predict", "--input", str(project / SAMPLE), "--output", str(tmp_path / "out.csv")]) == 1
    assert "train" in capsys.readouterr().err


def test_failed_run_leaves_production_untouched(project: Path, replace_training_data, capsys) -> None:
    assert main(["train"]) == 0
    replace_training_data(pd.read_csv(project / SAMPLE).drop(columns=["ab_000"]))

    assert main(["train"]) == 1

    assert "ab_000" in capsys.readouterr().err
    assert _current(project) == "v0001"
    assert [path.name for path in (project / "models" / "production").iterdir() if path.is_dir()] == ["v0001"]


def test_interrupted_promotion_leaves_production_untouched(project: Path, monkeypatch, capsys) -> None:
    assert main(["train"]) == 0
    project.joinpath("config", "config.yaml").write_text(
        project.joinpath("config", "config.yaml").read_text().replace("min_improvement: 0.01", "min_improvement: -1")
    )

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    # Stop the run in the middle of copying the new version into models/production.
    monkeypatch.setattr(model_registry.shutil, "copyfile", interrupt)
    assert main(["train"]) == 130

    assert _current(project) == "v0001"
    assert sorted(path.name for path in (project / "models" / "production").iterdir()) == [
        ".promotion.lock",
        "CURRENT",
        "v0001",
    ]


def test_models_promote_and_evaluate_commands(project: Path, capsys) -> None:
    assert main(["train"]) == 0
    assert main(["models"]) == 0
    assert "* v0001" in capsys.readouterr().out

    assert main(["evaluate", "--input", str(project / SAMPLE)]) == 0
    assert json.loads(capsys.readouterr().out)["f1"] > 0.6

    assert main(["promote", "v0042"]) == 1
    assert "v0001" in capsys.readouterr().err


@pytest.mark.parametrize("entry_point", ["module", "console script"])
def test_entry_points_run_from_any_directory(project: Path, tmp_path: Path, entry_point: str) -> None:
    scripts_dir = str(Path(sys.executable).parent)
    console_script = shutil.which("{{ cookiecutter.project_slug }}", path=scripts_dir)
    module = [sys.executable, "-m", "{{ cookiecutter.package_name }}"]
    command = module if entry_point == "module" else [console_script]
    assert command[0], "the console script is not installed next to this Python"

    result = subprocess.run([*command, "models"], cwd=tmp_path, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert "no production model yet" in result.stdout
