"""The run report: `train` on the sample leaves one self-contained page saying what it decided and why, with the
three-way metrics, a picture per plot section, the columns the model relies on and the data's histograms; a report
that fails to render never fails the run."""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.constants import MODEL_FILE
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.pipeline import run_report
from {{ cookiecutter.package_name }}.reports.model_card import MODEL_CARD_FILE
from {{ cookiecutter.package_name }}.reports.run_page import RUN_REPORT_FILE


class _Sections(HTMLParser):
    """The page's text, its external references and, per <h2> section, its tags and table rows."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.references: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self._heading: str | None = None
        self._current = "top"

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.sections.setdefault(self._current, []).append(tag)
        self.references += [value for name, value in attrs if name in {"src", "href"} and value]
        if tag == "h2":
            self._heading = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self._current, self._heading = self._heading, None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading += data


@pytest.fixture(scope="module")
def page(trained_models: Path) -> tuple[str, _Sections]:
    """The page of the session's `train` on the sample (the first run: no production model to compare with)."""
    pages = sorted((trained_models.parent / "artifacts").glob(f"*/{RUN_REPORT_FILE}"))
    assert len(pages) == 1
    text = pages[0].read_text(encoding="utf-8")
    parser = _Sections()
    parser.feed(text)
    parser.close()
    return text, parser


def test_the_page_opens_with_the_decision_and_its_reason(page) -> None:
    text, _ = page
    decision = re.search(r'<p class="decision" id="decision">(.*?)</p>', text)

    assert decision is not None
    assert decision.group(1).startswith("Promoted as v0001: candidate f1=")
    assert "beats the best trivial baseline" in decision.group(1)
    assert text.index('id="decision"') < text.index('id="metrics"')


def test_the_metrics_table_sets_the_candidate_beside_the_baseline_with_the_gates_margin(page) -> None:
    text, _ = page
    table = re.search(r'<table id="metrics">(.*?)</table>', text)

    assert table is not None
    assert "<th>candidate</th>" in table.group(1)
    assert "best trivial baseline (" in table.group(1)
    assert "production" not in table.group(1)  # the first run has no production model to compare with
    assert "f1 (gate metric, higher is better)" in table.group(1)
    assert re.search(r"must beat the best trivial baseline by the margin \d\.\d{4} = min_improvement", text)


def test_each_plot_section_has_a_picture_and_the_threshold_used(page) -> None:
    text, parser = page

    assert parser.sections["How well it classifies"].count("img") == 4
    assert text.count("data:image/png;base64,") == 4
    assert 'alt="threshold curve"' in text
    assert re.search(r"Decision threshold used: \d\.\d{3}", text)
    assert parser.sections["What the model relies on"].count("svg") >= 1
    assert parser.sections["The data"].count("svg") >= 20  # one chart per feature column of the sample


def _importance_rows(page: tuple[str, _Sections]) -> list[tuple[str, str]]:
    """(column, metric lost) of each row of the page's importance table, strongest first."""
    text, parser = page
    rows = re.findall(r'<tr><td>([^<]+)</td><td class="number">(-?\d\.\d{4})</td>', text.split('id="importance"')[1])
    return rows[: parser.sections["What the model relies on"].count("tr") - 1]


def test_the_importance_section_names_the_samples_strongest_columns_first(page) -> None:
    rows = _importance_rows(page)
    losses = [float(loss) for _, loss in rows]
    top_three = {column for column, _ in rows[:3]}

    assert 1 <= len(rows) <= 20
    assert losses == sorted(losses, reverse=True)
    assert losses[0] > 0  # shuffling the strongest column costs the model some f1
    # The sample's sensors that read highest before a failure (scripts/make_sample_data.py), aa_000 the most.
    assert top_three <= {"aa_000", "ag_001", "ag_002", "an_000"}
    assert "aa_000" in top_three


def test_the_model_card_states_the_threshold_used_and_the_importance_the_page_shows(page, trained_models: Path) -> None:
    version = trained_models / "production" / "v0001"
    card = (version / MODEL_CARD_FILE).read_text(encoding="utf-8")
    threshold = TabularModel.load(version / MODEL_FILE).threshold
    relies_on = card.split("## What it relies on")[1].split("##")[0]
    rows = re.findall(r"^\| (\w+) \| (-?\d\.\d{4}) \| \d\.\d{4} \|$", relies_on, re.MULTILINE)

    assert threshold is not None
    assert re.search(rf"decision threshold used by `predict`( and the server)?: {threshold:.3f} \(pos when", card)
    assert rows == _importance_rows(page)
    assert len(rows) >= 3


def test_histograms_are_drawn_on_real_values_so_skewed_columns_show_uneven_bars(page) -> None:
    text, _ = page
    data = text.split('id="data"')[1]
    charts = re.findall(r"<svg.*?</svg>", data)
    uneven = [chart for chart in charts if len(set(re.findall(r'height="([\d.]+)" fill=', chart))) > 2]

    assert len(uneven) >= len(charts) // 2
    assert "No production model yet" in data


def test_the_page_is_self_contained_and_names_the_runs_facts(page) -> None:
    text, parser = page

    assert not [reference for reference in parser.references if re.match(r"(?i)\s*(https?:)?//", reference)]
    assert not {"script", "link", "iframe"} & {tag for tags in parser.sections.values() for tag in tags}
    for fact in ("data fingerprint", "sha256:", "rows and split", "estimator", "model_trainer took", "package version"):
        assert fact in text, fact


def test_a_second_run_sets_candidate_production_and_baseline_side_by_side(trained: Path) -> None:
    """`train` again over production v0001, with permutation importance off as in the tests' projects."""
    assert main(["train"]) == 0
    pages = list((trained / "artifacts").glob(f"*/{RUN_REPORT_FILE}"))
    text = pages[0].read_text(encoding="utf-8")
    table = re.search(r'<table id="metrics"><thead><tr>(.*?)</tr>', text)

    assert len(pages) == 1
    assert table is not None
    headers = re.findall(r"<th>(.*?)</th>", table.group(1))
    assert headers[:3] == ["metric", "candidate", "production v0001"]
    assert len(headers) == 4
    assert headers[3].startswith("best trivial baseline (")
    assert '<p class="decision rejected" id="decision">Not promoted: ' in text
    assert "The candidate (solid lines, left matrix) and production (dashed lines, right matrix)" in text
    assert (
        "Permutation importance not computed: model_evaluation.permutation_importance is false in "
        "config/config.yaml; set it to true" in text
    )


def test_a_report_that_fails_is_one_warning_and_no_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*arguments: object) -> str:
        raise ValueError("no such column")

    monkeypatch.setattr(run_report, "_page", broken)

    with caplog.at_level(logging.WARNING):
        written = run_report.write_run_report(None, tmp_path, None, None)  # type: ignore[arg-type]

    assert written is None
    assert not (tmp_path / RUN_REPORT_FILE).exists()
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert warnings == ["run report not written: ValueError: no such column"]
