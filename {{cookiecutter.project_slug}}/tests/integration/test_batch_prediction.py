"""`predict` on a file: streamed in chunks, the same bytes as scoring it in one piece, never a partial output."""

from __future__ import annotations

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.exception import InputError
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.pipeline.prediction_pipeline import (
    PredictionPipeline,
    scoring_threads,
)
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file

SAMPLE = "data/raw/sensor_sample.csv"


@pytest.fixture
def pipeline(trained) -> PredictionPipeline:
    settings = load_settings(trained)
    return PredictionPipeline(settings, build_model_registry(settings))


def _input_file(project, rows: int):
    frame = pd.read_csv(project / SAMPLE, dtype=str, keep_default_na=False).drop(columns=["class"])
    path = project / "to_score.csv"
    pd.concat([frame] * (rows // len(frame) + 1)).head(rows).to_csv(path, index=False)
    return path


def test_streamed_output_is_byte_identical_to_scoring_the_whole_file(pipeline, project) -> None:
    source = _input_file(project, rows=3500)
    output = project / "out" / "predictions.csv"

    written = pipeline.predict_file(source, output, chunk_rows=1000)  # four chunks, the last one short

    whole = read_csv_file(source, pipeline.settings.schema.missing_values)
    reference = TabularModel.load(pipeline.production_model().model_path).predict(whole).to_csv(index=False)
    assert written == 3500
    assert output.read_bytes() == reference.encode("utf-8")


def test_cli_predict_takes_the_chunk_size(pipeline, project, capsys) -> None:
    source = _input_file(project, rows=2100)
    output = project / "cli.csv"

    assert main(["predict", "--input", str(source), "--output", str(output), "--chunk-rows", "1000"]) == 0

    assert "wrote 2100 predictions" in capsys.readouterr().out
    assert len(pd.read_csv(output)) == 2100
    assert main(["predict", "--input", str(source), "--output", str(output), "--chunk-rows", "10"]) == 2
    assert "outside 1000-10000000" in capsys.readouterr().err


def test_interrupted_predict_leaves_no_partial_file(pipeline, project, monkeypatch) -> None:
    source = _input_file(project, rows=8000)
    output = project / "predictions.csv"
    output.write_text("previous results\n", encoding="utf-8")
    calls = []
    real_predict = TabularModel.predict_prepared

    def interrupted_on_the_second_chunk(self, rows, **options):
        calls.append(len(rows.index))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_predict(self, rows, **options)

    monkeypatch.setattr(TabularModel, "predict_prepared", interrupted_on_the_second_chunk)

    with pytest.raises(KeyboardInterrupt):
        pipeline.predict_file(source, output, chunk_rows=1000)

    # Chunks are scored a few at a time: scoring stops within the chunks already taken, far before the eighth (the
    # first chunk's predictions were written, then at most one per scoring thread and one waiting were taken).
    assert calls[:2] == [1000, 1000]
    assert len(calls) <= 2 + scoring_threads()
    assert output.read_text(encoding="utf-8") == "previous results\n"
    assert sorted(path.name for path in project.iterdir() if "predictions" in path.name) == ["predictions.csv"]


def test_a_bad_value_in_a_later_chunk_fails_without_output(pipeline, project) -> None:
    source = _input_file(project, rows=2500)
    lines = source.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    broken = lines[2200].split(",")
    broken[header.index("ab_000")] = "broken"
    lines[2200] = ",".join(broken)
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = project / "predictions.csv"

    with pytest.raises(InputError, match="ab_000"):
        pipeline.predict_file(source, output, chunk_rows=1000)

    assert not output.exists()
    assert [path.name for path in project.iterdir() if path.name.startswith(".predictions")] == []


def test_a_file_with_only_a_header_is_refused_without_output(pipeline, project) -> None:
    source = project / "empty.csv"
    source.write_text(",".join(pipeline.settings.schema.feature_columns) + "\n", encoding="utf-8")
    output = project / "predictions.csv"

    with pytest.raises(InputError, match="has no rows"):
        pipeline.predict_file(source, output)

    assert not output.exists()
    assert [path.name for path in project.iterdir() if path.name.startswith(".predictions")] == []


def test_chunks_scored_at_once_give_the_probabilities_of_one_pass_over_the_whole_file(pipeline, project) -> None:
    source = _input_file(project, rows=5500)
    output = project / "with_probabilities.csv"

    pipeline.predict_file(source, output, chunk_rows=1000, probabilities=True)

    model = TabularModel.load(pipeline.production_model().model_path)
    whole = read_csv_file(source, pipeline.settings.schema.missing_values)
    expected = model.predict(whole, probabilities=True).to_csv(index=False)
    assert output.read_text(encoding="utf-8") == expected


def test_predict_keeps_an_id_column_as_written_to_join_predictions_back(pipeline, project) -> None:
    rows = pd.read_csv(project / SAMPLE, dtype=str, keep_default_na=False).drop(columns=["class"]).head(30)
    rows.insert(0, "row_id", [f"{index:05d}" for index in range(30)])  # leading zeros: text, not a number
    source, output = project / "with_ids.csv", project / "with_ids_predicted.csv"
    rows.to_csv(source, index=False)

    assert main(["predict", "--input", str(source), "--output", str(output), "--keep", "row_id"]) == 0

    written = pd.read_csv(output, dtype=str)
    assert list(written.columns[:2]) == ["row_id", "prediction"]
    assert written["row_id"].tolist() == rows["row_id"].tolist()


def test_predict_refuses_to_keep_a_column_the_input_lacks(pipeline, project, capsys) -> None:
    output = project / "kept.csv"

    assert main(["predict", "--input", str(_input_file(project, 10)), "--output", str(output), "--keep", "nope"]) == 2

    assert "--keep names columns the input does not have: nope" in capsys.readouterr().err
    assert not output.exists()


def test_a_file_in_another_delimiter_is_refused_with_a_hint(pipeline, project) -> None:
    """Only the schema's columns are read when the file has them all; a file that has not is read whole, so the
    error can see a wrong delimiter in the header."""
    source, output = project / "semicolons.csv", project / "semicolons_predicted.csv"
    pd.read_csv(_input_file(project, rows=20), dtype=str).to_csv(source, index=False, sep=";")

    with pytest.raises(InputError, match="looks semicolon-separated"):
        pipeline.predict_file(source, output)

    assert not output.exists()
