"""The table `train` ends with: each step, its duration and its key figure, then the decision and its reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StepRecord:
    name: str
    seconds: float
    figure: str


def format_run_summary(
    steps: list[StepRecord], decision: str, reason: str, html_report: Path | None, run_report: Path | None = None
) -> str:
    """`html_report`: the data validation page; `run_report`: the run's page (what it decided and why)."""
    width = max([len("step"), *(len(step.name) for step in steps)])
    lines = [f"{'step':<{width}}  {'seconds':>7}  key figure", f"{'-' * width}  {'-' * 7}  {'-' * 10}"]
    lines += [f"{step.name:<{width}}  {step.seconds:>7.2f}  {step.figure}" for step in steps]
    lines.append(f"decision: {decision} ({reason})")
    if html_report is not None and html_report.is_file():
        lines.append(f"data report: {html_report}")
    if run_report is not None and run_report.is_file():
        lines.append(f"report of the run: {run_report}")
    return "\n".join(lines)
