"""Measure the default generated project against its floors and write benchmarks/results.md.

    .venv/bin/python benchmarks/run.py            # full: more repeats, cold-cache time to first prediction, install
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats, warm cache only, no install section
    .venv/bin/python benchmarks/run.py --only install   # install times and sizes alone (downloads from PyPI)

Needs the template's dev tools (cookiecutter, uv) in the running Python's environment and `wrk` on PATH.
Every figure is a median over repeated runs, next to its floor measured in the same run on the same machine.
The install section writes its own file, benchmarks/results-install.md (the same layout), so that it is run on its
own schedule (it needs the network) and a run of the other sections never drops its figures, nor it theirs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable from the template root
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bake import measure_bake
from benchmarks.batch import measure_batch
from benchmarks.common import BENCHMARKS_DIR, describe_machine, prepare_project
from benchmarks.first_prediction import measure_first_prediction
from benchmarks.install import NOTES as INSTALL_NOTES
from benchmarks.install import measure_install
from benchmarks.real_tables import measure_real_tables
from benchmarks.report import Figure, machine_lines, markdown_table, text_table
from benchmarks.serving import measure_serving, require_wrk
from benchmarks.training import measure_training

SECTIONS = ("bake", "serving", "batch", "first", "train", "real", "install")
QUICK_SECTIONS = SECTIONS[:-1]  # the install section takes minutes whatever the repeats: asked for by name

NOTES = """\
How to read it: *floor* is the same quantity for what the project cannot beat, measured in the same run on the
same machine (the one-file cookiecutter template; an empty FastAPI endpoint taking the project's request model,
started through the project's own `serve` settings; pandas reading and writing the same CSV). *met?* gives how
far a figure is from its target as a factor. Absolute times move with the machine's load: the load averages
at the start and the end are above, and a load above the number of cores means the benchmark shared the CPU
with other work (slower absolute figures, noisier ratios). The ratios to the floors are what to compare.

- Serving: wrk, 1 thread, 32 connections, 2 s timeout (a slower answer counts as an error), a warm-up run first;
  bodies cycle through the sample's rows. Batch: rows resampled from the sample with 5 % noise on each reading.
- Peak RSS is the child process's maximum resident set (`os.wait4`), Python start-up and imports included.
- Real tables: for each `model_library`, a project pointed by `schema` at a table the suite makes (20,000
  customers: whole and fractional numbers, categories, a Yes/No column and a date, each with 5 % gaps, and an ID),
  then trained; served and scored as above on more rows of the same shape; 2,000 rows sent both to the server
  and to batch `predict`, whose answers must agree (batch writes probabilities to 6 decimals).
- Training growth is judged step by step (sample -> ×10 -> ×100) on CPU time, which other load does not
  inflate: at most ×10 per step is linear or better (a fixed start-up cost makes a step cheaper than ×10).
"""


def parse_arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, no cold-cache run, no install section")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="measure only these")
    parser.add_argument("--output", type=Path, default=BENCHMARKS_DIR / "results.md", help="where to write results")
    parser.add_argument(
        "--install-output",
        type=Path,
        default=BENCHMARKS_DIR / "results-install.md",
        help="where to write the install section's results",
    )
    parser.add_argument("--keep", action="store_true", help="keep the working directory (its path is printed)")
    arguments = parser.parse_args(argv)
    if arguments.only is None:
        arguments.only = list(QUICK_SECTIONS if arguments.quick else SECTIONS)
    return arguments


def measure_all(arguments: argparse.Namespace, workdir: Path) -> list[Figure]:
    quick, only = arguments.quick, arguments.only
    figures: list[Figure] = []
    if "bake" in only:
        say("bake against a one-file template")
        figures += measure_bake(workdir, repeats=3 if quick else 5)
    project = None
    if {"serving", "batch", "train"} & set(only):
        say("baking, installing (uv) and training the default project")
        project = prepare_project(workdir / "project")
    if "serving" in only:
        say("serving with wrk, project and floor in turn")
        figures += measure_serving(project, workdir, repeats=1 if quick else 3, seconds=5 if quick else 10)
    if "batch" in only:
        say("batch predict against pandas read+write")
        figures += measure_batch(project, workdir, repeats=1 if quick else 3)
    if "first" in only:
        say("time to first prediction" + ("" if quick else " (warm, then cold uv cache)"))
        figures += measure_first_prediction(workdir, repeats=1 if quick else 3, cold=not quick)
    if "train" in only:
        say("train at ×1, ×10, ×100 the sample's rows")
        figures += measure_training(project, workdir, repeats=1 if quick else 3)
    if "real" in only:
        figures += measure_real_tables(workdir, repeats=1 if quick else 3, seconds=5 if quick else 10, say=say)
    return figures


def results_markdown(
    figures: list[Figure], machine: dict[str, str], command: str, minutes: float, notes: str = NOTES
) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"# Benchmark results\n\nWritten by `{command}` on {stamp} ({minutes:.1f} min).\n\n"
        f"## Machine\n\n{machine_lines(machine)}\n\n## Figures\n\n{markdown_table(figures)}\n\n{notes}"
    )


def say(message: str) -> None:
    print(f"[benchmarks] {message}...", flush=True)


def main(argv=None) -> int:
    arguments = parse_arguments(argv)
    if {"serving", "real"} & set(arguments.only):
        require_wrk()
    machine = describe_machine()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="mlops-template-bench-"))
    try:
        figures = measure_all(arguments, workdir)
        install_figures = []
        if "install" in arguments.only:
            say("install with uv and pip, empty then filled cache, and sizes, experiment_tracking none and mlflow")
            install_figures = measure_install(workdir, repeats=1 if arguments.quick else 3)
    finally:
        if arguments.keep:
            print(f"[benchmarks] working directory kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    minutes = (time.monotonic() - started) / 60
    machine["load average at end (1, 5, 15 min)"] = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    command = "python benchmarks/run.py" + " --quick" * arguments.quick
    if set(arguments.only) != set(QUICK_SECTIONS if arguments.quick else SECTIONS):
        command += " --only " + " ".join(arguments.only)
    print("\n" + "\n".join(f"{key}: {value}" for key, value in machine.items()) + "\n")
    written = [
        (arguments.output, figures, NOTES, set(arguments.only) - {"install"}),
        (arguments.install_output, install_figures, INSTALL_NOTES, set(arguments.only) & {"install"}),
    ]
    for path, measured, notes, sections in written:
        if sections:  # a file whose sections were not measured keeps the figures it holds
            print(text_table(measured) + "\n")
            path.write_text(results_markdown(measured, machine, command, minutes, notes))
            print(f"[benchmarks] written to {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
