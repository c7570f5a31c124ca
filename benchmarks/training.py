"""`train` on the sample and on ×10 and ×100 its rows: time and peak memory, and how they grow."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.batch import DATA_TOOLS
from benchmarks.common import PACKAGE, SAMPLE_CSV, child_env, measure, median, project_python
from benchmarks.report import Figure, Target

SCALES = (1, 10, 100)


def fresh_home(project: Path, home: Path, data: Path) -> Path:
    """A project home with the project's config and the given data, no models: every run is a first run."""
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(project / "config", home / "config")
    (home / SAMPLE_CSV).parent.mkdir(parents=True)
    shutil.copy(data, home / SAMPLE_CSV)
    return home


def measure_training(project: Path, workdir: Path, repeats: int) -> list[Figure]:
    sample_rows = sum(1 for _ in (project / SAMPLE_CSV).open()) - 1
    times, cpu, memory = {}, {}, {}
    for scale in SCALES:
        data = project / SAMPLE_CSV
        if scale > 1:
            data = workdir / f"train_x{scale}.csv"
            measure([project_python(project), DATA_TOOLS, "make", project / SAMPLE_CSV, data, sample_rows * scale])
        runs = []
        for attempt in range(repeats):
            home = fresh_home(project, workdir / f"train-x{scale}-{attempt}", data)
            env = child_env(**{f"{PACKAGE.upper()}_HOME": str(home)})
            runs.append(measure([project_python(project), "-m", PACKAGE, "train"], cwd=home, env=env))
        times[scale] = median(run.seconds for run in runs)
        cpu[scale] = median(run.cpu_seconds for run in runs)
        memory[scale] = median(run.peak_rss_mb for run in runs)
    return training_figures(times, cpu, memory, sample_rows)


def training_figures(times: dict, cpu: dict, memory: dict, sample_rows: int) -> list[Figure]:
    """Growth is judged step by step (×1 -> ×10 -> ×100): linear means at most ×10 per step.

    Time growth is taken on CPU time (the train command uses one core), which other work on a shared machine
    does not inflate; the figure shown is the wall time.
    """
    figures = []
    previous = None
    for scale in sorted(times):
        label = "train on the sample" if scale == 1 else f"train ×{scale} ({sample_rows * scale:,} rows)"
        growth = Target("ratio", scale / previous, at_most=True) if previous else None
        means = f"× the ×{previous} figure" if previous else ""
        figures.append(
            Figure(
                f"{label}: time",
                times[scale],
                "s",
                ratio=cpu[scale] / cpu[previous] if previous else None,
                ratio_means=f"CPU time {means}" if previous else "",
                target=growth or Target("value", 10, at_most=True),
            )
        )
        figures.append(
            Figure(
                f"{label}: peak RSS",
                memory[scale],
                "MB",
                ratio=memory[scale] / memory[previous] if previous else None,
                ratio_means=means,
                target=growth,
            )
        )
        previous = scale
    return figures
