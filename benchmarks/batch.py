"""Batch scoring: `predict` CSV -> CSV against pandas reading and writing the same file, alternately."""

from __future__ import annotations

from pathlib import Path

from benchmarks.common import BENCHMARKS_DIR, PACKAGE, SAMPLE_CSV, Measured, measure, median, project_python
from benchmarks.report import Figure, Target

SMALL, LARGE = 300_000, 1_200_000
DATA_TOOLS = BENCHMARKS_DIR / "data_tools.py"


def make_data(project: Path, workdir: Path, rows: int) -> Path:
    """The sample's rows resampled with noise."""
    path = workdir / f"batch_{rows}.csv"
    if not path.exists():
        measure([project_python(project), DATA_TOOLS, "make", project / SAMPLE_CSV, path, rows])
    return path


def make_real_data(project: Path, workdir: Path, rows: int, with_target: bool = False) -> Path:
    """A real-shaped table (data_tools.py make-real), without its target unless asked."""
    path = workdir / f"real_{rows}{'_labelled' * with_target}.csv"
    if not path.exists():
        command = [project_python(project), DATA_TOOLS, "make-real", path, rows]
        measure([*command, "--with-target"] if with_target else command)
    return path


def run_both(project: Path, source: Path, workdir: Path, repeats: int) -> tuple[list[Measured], list[Measured]]:
    python = project_python(project)
    predicted, floors = [], []
    for _ in range(repeats):
        output = workdir / "predicted.csv"
        predicted.append(
            measure([python, "-m", PACKAGE, "predict", "--input", source, "--output", output], cwd=project)
        )
        floors.append(measure([python, DATA_TOOLS, "pandas-floor", source, workdir / "floor.csv"]))
        output.unlink(missing_ok=True)
    return predicted, floors


def measure_batch(project: Path, workdir: Path, repeats: int, real: bool = False, label: str = "") -> list[Figure]:
    """`predict` on the sample's rows, or (`real`) on a real-shaped table; `label` starts each figure's name."""
    runs = {}
    for rows in (SMALL, LARGE):
        data = make_real_data(project, workdir, rows) if real else make_data(project, workdir, rows)
        runs[rows] = run_both(project, data, workdir, repeats)
    return batch_figures(runs, label)


def batch_figures(runs: dict[int, tuple[list[Measured], list[Measured]]], label: str = "") -> list[Figure]:
    figures = []
    memory = {}
    for rows, (predicted, floors) in runs.items():
        seconds = median(run.seconds for run in predicted)
        floor_seconds = median(run.seconds for run in floors)
        memory[rows] = median(run.peak_rss_mb for run in predicted)
        name = f"{label}predict {rows / 1e6:g}M rows"
        figures.append(
            Figure(
                f"{name}: rows/s",
                rows / seconds,
                "rows/s",
                floor=rows / floor_seconds,
                target=Target("value", 200_000, at_most=False) if rows == LARGE else None,
            )
        )
        figures.append(
            Figure(
                f"{name}: time",
                seconds,
                "s",
                floor=floor_seconds,
                ratio=seconds / floor_seconds,
                ratio_means="× pandas read+write",
                target=Target("ratio", 3, at_most=True) if rows == LARGE else None,
            )
        )
        figures.append(
            Figure(
                f"{name}: peak RSS",
                memory[rows],
                "MB",
                floor=median(run.peak_rss_mb for run in floors),
                ratio=memory[rows] / memory[SMALL] if rows == LARGE else None,
                ratio_means=f"× the {SMALL / 1e6:g}M peak" if rows == LARGE else "",
                target=Target("ratio", 1.3, at_most=True) if rows == LARGE else None,
            )
        )
    return figures
