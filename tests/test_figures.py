"""The figures quoted in the READMEs and docs are the ones benchmarks/results*.md and the code's constants hold
(scripts/sync_figures.py writes them; here it checks them, and is checked)."""

from __future__ import annotations

import re

import pytest

from benchmarks.install import install_figures
from benchmarks.report import markdown_table
from scripts import sync_figures
from scripts.sync_figures import DOCUMENTS, FIGURES, MARKER, differences, figure_values, plain, synced


def test_every_quoted_figure_matches_its_source() -> None:
    assert differences(DOCUMENTS, figure_values()) == [], "run: python scripts/sync_figures.py"


def test_every_figure_is_quoted_somewhere_and_every_quote_is_a_known_figure() -> None:
    quoted = {match["name"] or match["jinja_name"] for path in DOCUMENTS for match in MARKER.finditer(path.read_text())}

    assert quoted == set(FIGURES)


def test_a_figure_that_differs_from_its_source_is_named_then_rewritten(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(sync_figures, "TEMPLATE_DIR", tmp_path)
    page = tmp_path / "page.md"
    line = "| {# fig serve_rps #}VALUE{# /fig #} req/s | within <!-- fig onnx_tolerance -->TOLERANCE<!-- /fig -->\n"
    page.write_text(line.replace("VALUE", "1,000").replace("TOLERANCE", "0.02"))
    values = {"serve_rps": "4,065", "onnx_tolerance": "1e-6"}

    assert differences([page], values) == [
        "page.md: serve_rps quotes '1,000', its source says '4,065'",
        "page.md: onnx_tolerance quotes '0.02', its source says '1e-6'",
    ]
    rewritten = synced(page.read_text(), values, "page.md")
    assert rewritten == line.replace("VALUE", "4,065").replace("TOLERANCE", "1e-6")
    page.write_text(rewritten)
    assert differences([page], values) == []
    with pytest.raises(KeyError, match="unknown figure 'speed'"):
        synced("{# fig speed #}1{# /fig #}", values, "page.md")


def test_the_onnx_tolerance_is_the_code_constant_as_python_writes_it() -> None:
    source = (sync_figures.PACKAGE_DIR / "training" / "onnx_export.py").read_text()
    constant = re.search(r"^PROBABILITY_TOLERANCE = (.+)$", source, re.M).group(1)

    assert figure_values()["onnx_tolerance"] == plain(float(constant))
    assert (plain(0.05), plain(1e-6), plain(2.5e-10), plain(1e20)) == ("0.05", "1e-6", "2.5e-10", "1e20")


def test_the_benchmark_table_is_read_cell_by_cell() -> None:
    values = figure_values()
    table = sync_figures.results_table(sync_figures.RESULTS.read_text())

    assert table["predict 1.2M rows: rows/s"]["measured"].endswith("rows/s")
    assert values["predict_large_rows"] == sync_figures.significant(4)(
        float(table["predict 1.2M rows: rows/s"]["measured"].split()[0].replace(",", ""))
    )
    assert sync_figures.significant(3)(271_744) == "272,000" and sync_figures.significant(2)(4.72) == "4.7"


def test_a_generated_project_quotes_the_values_without_markers(default_project) -> None:
    values = figure_values()
    performance = (default_project / "docs" / "performance.md").read_text()
    serving = (default_project / "docs" / "serving.md").read_text()

    assert "{#" not in performance and "<!-- fig" not in performance
    assert f"| {values['serve_rps']} ({values['serve_ratio']}×) | {values['serve_rps_floor']} |" in performance
    assert f"probabilities within {values['onnx_tolerance']}, as scikit-learn" in serving


def test_every_install_figure_quoted_is_a_cell_the_install_section_writes() -> None:
    seconds = {(i, c, t): 2.0 for i in ("uv", "pip") for c in ("cold", "warm") for t in ("none", "mlflow")}
    sizes = {(kind, tracking): 500.0 for kind in ("venv", "runtime") for tracking in ("none", "mlflow")}
    written = sync_figures.results_table("## Figures\n\n" + markdown_table(install_figures(seconds, sizes)))
    tables = {sync_figures.RESULTS: {}, sync_figures.INSTALL_RESULTS: written}
    install = {
        name: source
        for name, source in FIGURES.items()
        if isinstance(source, sync_figures.Result) and source.results == sync_figures.INSTALL_RESULTS
    }

    assert len(install) == 17
    assert {name: source.value(tables) for name, source in install.items()}["install_pip_cold_ratio"] == "1.0"
