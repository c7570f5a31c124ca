"""The benchmark suite's pure parts, so it cannot rot silently; the benchmark itself never runs in the tests."""

from __future__ import annotations

import json
import math
import os
import re
import sys

import pytest

from benchmarks.batch import LARGE, SMALL, batch_figures
from benchmarks.common import Measured, child_env, measure
from benchmarks.install import install_figures, installer_env
from benchmarks.report import Figure, Target, markdown_table, text_table
from benchmarks.run import parse_arguments, results_markdown
from benchmarks.serving import WrkResult, lua_script, parse_wrk, sample_records, serving_figures
from benchmarks.training import training_figures
from tests.helpers import TEMPLATE_DIR, run

# Recorded from `wrk -t1 -c32 -d2s --timeout 2s -s predict_1.lua` against the serving floor.
RECORDED_WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:59709/predict
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    39.95ms   22.80ms 169.44ms   86.13%
    Req/Sec   835.80    352.61     1.22k    70.00%
  1670 requests in 2.01s, 225.06KB read
Requests/sec:    830.02
Transfer/sec:    111.86KB
BENCHMARK {"requests": 1670, "duration_us": 2012005, "connect": 0, "read": 0, "write": 0, "status": 0, \
"timeout": 0, "p50_us": 28954, "p99_us": 137671}
"""


def test_parse_wrk_reads_the_line_written_by_the_lua_done_function() -> None:
    result = parse_wrk(RECORDED_WRK_OUTPUT)

    assert result.requests_per_second == pytest.approx(1670 / 2.012005)
    assert result.p50_ms == pytest.approx(28.954)
    assert result.p99_ms == pytest.approx(137.671)
    assert result.errors == 0


def test_parse_wrk_adds_up_every_kind_of_error() -> None:
    line = (
        'BENCHMARK {"requests": 10, "duration_us": 1000000, "connect": 1, "read": 2, "write": 3, "status": 4, '
        '"timeout": 5, "p50_us": 1000, "p99_us": 2000}'
    )

    assert parse_wrk(line).errors == 15


def test_parse_wrk_when_every_request_timed_out_has_no_latency_to_pass_a_target() -> None:
    line = (
        'BENCHMARK {"requests": 0, "duration_us": 5000000, "connect": 0, "read": 0, "write": 0, "status": 0, '
        '"timeout": 11, "p50_us": 0, "p99_us": 0}'
    )

    result = parse_wrk(line)
    figure = Figure("p99", result.p99_ms, "ms", target=Target("value", 50, at_most=True))

    assert result.errors == 11 and math.isinf(result.p99_ms)
    assert figure.met() is False and figure.verdict() == "no (∞× off)"
    assert "none answered" in markdown_table([figure])


def test_parse_wrk_without_the_result_line_fails_loudly() -> None:
    with pytest.raises(ValueError, match="no BENCHMARK line"):
        parse_wrk(RECORDED_WRK_OUTPUT.split("BENCHMARK")[0])


def test_sample_records_are_features_with_missing_markers_as_null(tmp_path) -> None:
    sample = tmp_path / "sample.csv"
    sample.write_text("class,aa_000,ab_000,ac_000\nneg,72,na,1.5\npos,7,3,na\n")

    assert sample_records(sample) == [
        {"aa_000": 72, "ab_000": None, "ac_000": 1.5},
        {"aa_000": 7, "ab_000": 3, "ac_000": None},
    ]


def test_records_of_a_real_shaped_table_keep_text_and_take_empty_cells_as_null(tmp_path) -> None:
    table = tmp_path / "real.csv"
    table.write_text(
        "customer_id,tenure,region,paperless,signed_up,churned\nC1,27,north,,2016-05-03,yes\nC2,,,No,,no\n"
    )

    assert sample_records(table, target="churned") == [
        {"customer_id": "C1", "tenure": 27, "region": "north", "paperless": None, "signed_up": "2016-05-03"},
        {"customer_id": "C2", "tenure": None, "region": None, "paperless": "No", "signed_up": None},
    ]


def test_figures_of_a_real_table_are_named_after_it() -> None:
    results = {(name, size): [WrkResult(100.0, 5.0, 9.0, 0)] for name in ("project", "floor") for size in (1, 100)}

    label = "real table, lightgbm, served by onnxruntime: "

    names = [figure.name for figure in serving_figures(results, label)]

    assert names[0] == label + "serve, 1 record/request, 32 connections: throughput"
    assert len(names) == 5 and all(name.startswith(label + "serve") for name in names)


def test_lua_script_holds_each_body_as_a_json_request() -> None:
    records = [{"aa_000": index, "ab_000": None} for index in range(300)]

    script = lua_script(records, per_request=100, bodies=3)

    bodies = [json.loads(body) for body in re.findall(r"\[=\[(.*?)\]=\]", script)]
    assert [len(body["records"]) for body in bodies] == [100, 100, 100]
    assert len({json.dumps(body) for body in bodies}) == 3, "the bodies should differ"
    assert '"requests": %d' in script and "%(" not in script, "the Python placeholders should all be filled"
    assert "BENCHMARK " in script and "latency:percentile(99)" in script


def test_a_lower_bound_target_met_and_missed() -> None:
    met = Figure("rows", 250_000, "rows/s", target=Target("value", 200_000, at_most=False))
    missed = Figure("rows", 20_000, "rows/s", target=Target("value", 200_000, at_most=False))

    assert met.met() is True and met.verdict() == "yes (1.25× margin)"
    assert missed.met() is False and missed.verdict() == "no (10× off)"


def test_an_upper_bound_target_on_the_ratio() -> None:
    figure = Figure("bake", 1.2, "s", floor=0.5, ratio=2.4, target=Target("ratio", 1.5, at_most=True))

    assert figure.met() is False
    assert figure.verdict() == "no (1.6× off)"
    assert Figure("info", 3, "ms").verdict() == "—"


def test_tables_show_every_figure_with_floor_ratio_and_target() -> None:
    figures = [
        Figure(
            "bake", 1.15, "s", floor=0.48, ratio=2.4, ratio_means="× one-file render", target=Target("ratio", 1.5, True)
        ),
        Figure("p50", 1596.4, "ms"),
    ]

    markdown = markdown_table(figures).splitlines()
    text = text_table(figures).splitlines()

    assert markdown[0] == "| figure | measured | floor | ratio | target | met? |"
    assert markdown[2] == "| bake | 1.15 s | 0.48 s | 2.4 (× one-file render) | ratio ≤ 1.5 | no (1.6× off) |"
    assert markdown[3] == "| p50 | 1,596 ms | — | — | — | — |"
    assert len(text) == 4 and text[0].startswith("figure") and set(text[1]) == {"-", " "}
    assert text[2].index("1.15 s") == text[0].index("measured"), "columns should line up"


def test_serving_figures_are_medians_against_the_floor() -> None:
    def runs(*rps, p99=10.0, errors=0):
        return [WrkResult(value, 5.0, p99, errors) for value in rps]

    results = {
        ("project", 1): runs(100, 300, 200, p99=60.0, errors=1),
        ("floor", 1): runs(800, 800, 800),
        ("project", 100): runs(250, 250, 250),
        ("floor", 100): runs(500, 500, 500),
    }

    figures = {figure.name.split(":")[-1].strip(): figure for figure in serving_figures(results)}

    assert figures["throughput"].value == 200 and figures["throughput"].ratio == 0.25
    assert figures["throughput"].met() is False
    assert figures["p99 latency"].value == 60 and figures["p99 latency"].met() is False
    assert figures["records/s"].value == 25_000 and figures["records/s"].met() is True
    assert figures["errors (all runs, both sizes; timeouts > 2 s count)"].value == 3


def test_batch_memory_of_the_large_file_is_judged_against_the_small_one() -> None:
    def runs(seconds, mb):
        return [Measured(seconds, mb, "")]

    figures = batch_figures({SMALL: (runs(10, 400), runs(4, 300)), LARGE: (runs(40, 1000), runs(15, 900))})

    by_name = {figure.name: figure for figure in figures}
    assert by_name["predict 1.2M rows: rows/s"].value == 30_000 and not by_name["predict 1.2M rows: rows/s"].met()
    assert by_name["predict 1.2M rows: time"].ratio == pytest.approx(40 / 15)
    assert by_name["predict 1.2M rows: time"].met() is True
    assert by_name["predict 1.2M rows: peak RSS"].ratio == 2.5 and not by_name["predict 1.2M rows: peak RSS"].met()
    assert by_name["predict 0.3M rows: peak RSS"].target is None


def test_training_growth_is_judged_step_by_step() -> None:
    wall = {1: 5.0, 10: 20.0, 100: 900.0}
    cpu = {1: 5.0, 10: 20.0, 100: 300.0}
    figures = training_figures(wall, cpu, {1: 200.0, 10: 300.0, 100: 900.0}, 3000)

    by_name = {figure.name: figure for figure in figures}
    assert by_name["train on the sample: time"].met() is True
    assert by_name["train ×10 (30,000 rows): time"].ratio == 4 and by_name["train ×10 (30,000 rows): time"].met()
    assert by_name["train ×100 (300,000 rows): time"].value == 900, "the wall time is shown"
    assert by_name["train ×100 (300,000 rows): time"].ratio == 15, "growth is judged on CPU time"
    assert by_name["train ×100 (300,000 rows): time"].met() is False
    assert by_name["train ×100 (300,000 rows): peak RSS"].met() is True


def test_measure_reports_wall_time_and_the_peak_memory_of_that_child() -> None:
    allocating = measure([sys.executable, "-c", "block = bytearray(200 * 1024 * 1024); print('done')"])
    small = measure([sys.executable, "-c", "print('done')"])

    assert allocating.stdout.strip() == "done"
    assert allocating.peak_rss_mb >= 200
    assert small.peak_rss_mb < allocating.peak_rss_mb - 150, "each child's own peak, not the largest so far"
    assert 0 < small.seconds < 30
    assert 0 < small.cpu_seconds < allocating.cpu_seconds + 5


def test_measure_fails_on_a_failing_command() -> None:
    with pytest.raises(RuntimeError, match="exited 3"):
        measure([sys.executable, "-c", "import sys; print('boom'); sys.exit(3)"])


def test_results_markdown_describes_the_machine_and_the_command() -> None:
    text = results_markdown([Figure("bake", 1.0, "s")], {"CPU": "Test CPU", "cores": "2"}, "python x --quick", 3.0)

    assert "`python x --quick`" in text
    assert "- CPU: Test CPU\n- cores: 2" in text
    assert "| bake | 1 s | — | — | — | — |" in text


def test_command_line_quick_and_sections() -> None:
    arguments = parse_arguments(["--quick", "--only", "bake", "serving"])

    assert arguments.quick and arguments.only == ["bake", "serving"]
    with pytest.raises(SystemExit):
        parse_arguments(["--only", "nothing"])


def test_the_install_section_runs_in_a_full_run_or_by_name_not_in_a_quick_one() -> None:
    assert "install" in parse_arguments([]).only
    assert "install" not in parse_arguments(["--quick"]).only and "bake" in parse_arguments(["--quick"]).only
    assert parse_arguments(["--quick", "--only", "install"]).only == ["install"]


def test_install_figures_set_mlflow_against_none() -> None:
    seconds = {
        (installer, cache, tracking): value * (3 if tracking == "mlflow" else 1)
        for installer, cache, value in (
            ("uv", "cold", 4.0),
            ("uv", "warm", 1.0),
            ("pip", "cold", 40),
            ("pip", "warm", 30),
        )
        for tracking in ("none", "mlflow")
    }
    sizes = {
        ("venv", "none"): 660.0,
        ("venv", "mlflow"): 910.0,
        ("runtime", "none"): 500.0,
        ("runtime", "mlflow"): 750.0,
    }

    by_name = {figure.name: figure for figure in install_figures(seconds, sizes)}

    pip_cold = by_name["install with pip, cold cache: time"]
    assert (pip_cold.value, pip_cold.floor, pip_cold.ratio) == (120, 40, 3)
    assert by_name["install with uv, warm cache: time"].value == 3
    assert by_name[".venv as setup_venv.py builds it (dev extra): size"].floor == 660
    assert by_name["  of which added by experiment_tracking=mlflow"].value == 250
    assert len(by_name) == 7


def test_installs_reach_pypi_alone_with_the_cache_they_are_given(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PIP_FIND_LINKS", "/opt/wheels")
    monkeypatch.setenv("UV_INDEX_URL", "file:///mirror")

    env = installer_env(tmp_path)

    assert "PIP_FIND_LINKS" not in env and "UV_INDEX_URL" not in env
    assert env["UV_CACHE_DIR"] == env["PIP_CACHE_DIR"] == str(tmp_path)
    assert env["UV_NO_CONFIG"] == "1" and env["PIP_CONFIG_FILE"] == os.devnull


def test_benchmarks_are_ruff_clean() -> None:
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "benchmarks"], cwd=TEMPLATE_DIR)


def test_measured_commands_start_as_on_a_users_machine(monkeypatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("VIRTUAL_ENV", "/somewhere/.venv")

    env = child_env(EXTRA="1")

    assert "PYTHONDONTWRITEBYTECODE" not in env  # else every start compiles every module from source
    assert "VIRTUAL_ENV" not in env
    assert env["EXTRA"] == "1"
    assert env["UV_PYTHON_DOWNLOADS"] == "never"
