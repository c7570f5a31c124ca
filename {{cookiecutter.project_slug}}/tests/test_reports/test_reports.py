"""Reports people look at: the validation page parses and covers every column, the plots are real PNG images,
the model card names the metrics, the run summary names every step and the decision."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from {{ cookiecutter.package_name }}.entity.config_entity import MisclassificationCosts
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.reports import plots
from {{ cookiecutter.package_name }}.reports.model_card import render_model_card
from {{ cookiecutter.package_name }}.reports.plots import (
    PLOT_FILES,
    THRESHOLD_FILE,
    write_evaluation_plots,
)
from {{ cookiecutter.package_name }}.reports.run_summary import StepRecord, format_run_summary
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self._in_cell = tag == "td"

    def handle_data(self, data: str) -> None:
        if self._in_cell and data.strip():
            self.cells.append(data.strip())
            self._in_cell = False


def test_validation_writes_a_self_contained_html_report_with_every_column(settings, validation_artifact) -> None:
    page = validation_artifact.report_path.parent / "report.html"
    parser = _Collector()

    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()

    assert parser.tags.count("tr") == len(settings.schema.feature_columns) + 1
    assert set(settings.schema.feature_columns) <= set(parser.cells)
    assert parser.tags.count("svg") == len(settings.schema.feature_columns)
    assert not {"script", "link", "img"} & set(parser.tags)


def test_evaluation_plots_set_confusion_matrices_side_by_side_and_curves_on_the_same_axes(
    settings, validation_artifact, trainer_artifact, tmp_path: Path
) -> None:
    test = read_csv_file(validation_artifact.test_path, settings.schema.missing_values)
    target = settings.schema.target

    alone = write_evaluation_plots(
        tmp_path / "alone", test, target, {"candidate": trainer_artifact.model_path, "production": None}
    )
    paired = write_evaluation_plots(
        tmp_path / "paired",
        test,
        target,
        {"candidate": trainer_artifact.model_path, "production": trainer_artifact.model_path},
    )

    assert [path.name for path in alone] == list(PLOT_FILES)
    assert [path.name for path in paired] == list(PLOT_FILES)
    for single, double in zip(alone, paired, strict=True):
        with Image.open(single) as one, Image.open(double) as two:
            one.verify()
            assert one.format == "PNG"
            assert two.format == "PNG"
            # A matrix per model; the curves of both on one axes, the production's dashed over the candidate's.
            assert two.size[0] == (2 * one.size[0] if single.name == "confusion_matrix.png" else one.size[0])
        if single.name != "confusion_matrix.png":
            assert single.read_bytes() != double.read_bytes()


@pytest.mark.parametrize("metric", ["f1", "cost"])
def test_the_threshold_curve_marks_what_the_model_scores_at_the_threshold_it_uses(
    metric: str, settings, validation_artifact, trainer_artifact, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """f1 against the threshold, or cost when the gate's metric is cost; the marked point is the model's own."""
    test = read_csv_file(validation_artifact.test_path, settings.schema.missing_values)
    model = TabularModel.load(trainer_artifact.model_path)
    costs = MisclassificationCosts(false_positive=10, false_negative=500)
    drawn = {}
    save = plots._save

    def keep(plt, figure, path: Path) -> Path:
        axis = figure.axes[0]
        drawn[path.name] = (axis.get_ylabel(), {line.get_label(): line.get_data() for line in axis.get_lines()})
        return save(plt, figure, path)

    monkeypatch.setattr(plots, "_save", keep)
    candidate = {"candidate": trainer_artifact.model_path}
    write_evaluation_plots(tmp_path, test, settings.schema.target, candidate, metric, costs)
    label, lines = drawn[THRESHOLD_FILE]
    marked = [name for name in lines if name.startswith("candidate uses")]
    actual = test[settings.schema.target].astype(str).to_numpy() == settings.schema.positive_label
    predicted = model.predict(test)["prediction"].astype(str).to_numpy() == settings.schema.positive_label
    false_positives, false_negatives = np.sum(predicted & ~actual), np.sum(actual & ~predicted)
    true_positives = np.sum(actual & predicted)
    expected = (
        10 * false_positives + 500 * false_negatives
        if metric == "cost"
        else 2 * true_positives / (2 * true_positives + false_positives + false_negatives)
    )

    assert label.startswith(f"{metric} (")
    assert len(marked) == 1
    assert list(lines[marked[0]][0]) == [model.threshold]
    assert lines[marked[0]][1][0] == pytest.approx(expected)
    assert f"candidate uses {model.threshold:.3f}" in marked[0]


def test_the_model_card_names_the_data_metrics_and_limits() -> None:
    metadata = {
        "estimator": "random_forest",
        "metric": "f1",
        "metrics": {"f1": 0.8, "roc_auc": 0.95},
        "training_data_fingerprint": "sha256:abc",
        "run_id": "r1",
        "created_at": "now",
    }

    card = render_model_card(metadata, {"rows": 100, "dataset_path": Path("/somewhere")}, "beats v0001")

    for words in (
        "| f1 | 0.8000 |",
        "| roc_auc | 0.9500 |",
        "sha256:abc",
        "- rows: 100",
        "## Intended use",
        "## Limits",
        "threshold",
        "beats v0001",
    ):
        assert words in card, words
    assert "/somewhere" not in card


def test_the_run_summary_lists_each_step_and_the_decision(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text("<html></html>")
    run_page = tmp_path / "run" / "report.html"
    run_page.parent.mkdir()
    run_page.write_text("<html></html>")
    steps = [StepRecord("data_ingestion", 1.234, "3000 rows"), StepRecord("model_trainer", 10.0, "f1=0.9")]

    table = format_run_summary(steps, "not promoted", "not better than v0001", page, run_page)

    lines = table.splitlines()
    assert lines[2].split() == ["data_ingestion", "1.23", "3000", "rows"]
    assert lines[3].split()[:2] == ["model_trainer", "10.00"]
    assert "decision: not promoted (not better than v0001)" in table
    assert f"data report: {page}" in table
    assert lines[-1] == f"report of the run: {run_page}"
