"""Bake time: the default project without install or git, against cookiecutter rendering a one-file template."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from benchmarks.common import bake_command, measure, median
from benchmarks.report import Figure, Target


def one_file_template(workdir: Path) -> Path:
    """The floor: what cookiecutter itself costs (start-up, context, one rendered file, no hooks)."""
    template = workdir / "one-file-template"
    (template / "{{cookiecutter.project_slug}}").mkdir(parents=True, exist_ok=True)
    (template / "cookiecutter.json").write_text(json.dumps({"project_slug": "floor"}))
    (template / "{{cookiecutter.project_slug}}" / "README.md").write_text("# {{ cookiecutter.project_slug }}\n")
    return template


def measure_bake(workdir: Path, repeats: int) -> list[Figure]:
    floor_template = one_file_template(workdir)
    bakes, floors = [], []
    for attempt in range(repeats):
        output = workdir / f"bake-{attempt}"
        bakes.append(measure(bake_command(output, "create_venv=no", "init_git=no")).seconds)
        floor_command = [sys.executable, "-m", "cookiecutter", "--no-input", floor_template, "-o", output / "floor"]
        floors.append(measure(floor_command).seconds)
    seconds, floor_seconds = median(bakes), median(floors)
    return [
        Figure(
            "bake (create_venv=no init_git=no)",
            seconds,
            "s",
            floor=floor_seconds,
            ratio=seconds / floor_seconds,
            ratio_means="× one-file render",
            target=Target("ratio", 1.5, at_most=True),
        )
    ]
