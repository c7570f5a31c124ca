"""The data validation report as one self-contained HTML page: per column, the schema check, the missing share,
the drift statistic against the reference and what failed, each with a small inline SVG chart (no files, no
scripts, no network), so it opens anywhere, from an artifact store or an e-mail."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..utils.files import atomic_write_text

CHART_WIDTH, CHART_HEIGHT = 160, 40
STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:middle}
.failed{color:#b00020;font-weight:600}.passed{color:#1b5e20}.warn{color:#e65100}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem}
"""


def _shares(values: NDArray[Any], edges: list[float]) -> NDArray[Any]:
    """Share of the values in each bin cut at `edges` (len(edges) + 1 bins)."""
    if not len(values):
        return np.zeros(len(edges) + 1)
    counts = np.bincount(np.searchsorted(np.asarray(edges), values, side="right"), minlength=len(edges) + 1)
    return counts / len(values)


def bars_svg(current: NDArray[Any], reference: NDArray[Any] | None) -> str:
    """Side-by-side bars per bin: this data (blue) and the reference (grey)."""
    series = [(current, "#1f77b4")] + ([(reference, "#999")] if reference is not None else [])
    top = max(float(np.max(values)) for values, _ in series) or 1.0
    slot = CHART_WIDTH / max(len(current), 1)
    width = slot / (len(series) + 0.5)
    rects = []
    for offset, (values, colour) in enumerate(series):
        for index, share in enumerate(values):
            height = CHART_HEIGHT * float(share) / top
            x = index * slot + offset * width
            rects.append(
                f'<rect x="{x:.1f}" y="{CHART_HEIGHT - height:.1f}" width="{width:.1f}" height="{height:.1f}" '
                f'fill="{colour}"/>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'role="img">{"".join(rects)}</svg>'
    )


def _chart(column: str, frame: pd.DataFrame | None, reference: dict[str, Any] | None) -> str:
    if frame is None or column not in frame.columns:
        return ""
    values = pd.to_numeric(frame[column], errors="coerce").dropna().to_numpy(dtype=float)
    if reference and "edges" in reference.get(column, {}):
        edges = list(reference[column]["edges"])
        return bars_svg(_shares(values, edges), np.asarray(reference[column]["shares"], dtype=float))
    edges = np.unique(np.quantile(values, np.linspace(0, 1, 11)[1:-1])).tolist() if len(values) else []
    return bars_svg(_shares(values, edges), None)


def column_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per column: what was checked and what failed."""
    drift = report.get("drift") or {}
    psi, reasons = drift.get("psi") or {}, drift.get("drift_reasons") or {}
    drifted = set(drift.get("drifted_columns") or [])
    missing = report.get("missing_fraction") or {}
    problems = report.get("problems") or []
    rows = []
    for column in sorted(set(missing) | set(psi)):
        failed = [problem for problem in problems if column in problem]
        if column in drifted:
            failed.append(f"drifted: {reasons.get(column, 'see report.yaml')}")
        rows.append(
            {
                "column": column,
                "schema": "failed" if any(column in problem for problem in problems) else "passed",
                "missing": missing.get(column),
                "psi": psi.get(column),
                "failed": failed,
            }
        )
    return rows


def write_validation_html(
    path: Path, report: dict[str, Any], frame: pd.DataFrame | None, reference_profile_path: Path | None
) -> Path:
    """Write report.html beside report.yaml from the same report dictionary, plus charts of `frame`."""
    drift = report.get("drift") or {}
    reference_note = drift.get("note") or "no production model yet"
    reference = None
    if reference_profile_path is not None and drift.get("reference_version"):
        reference = json.loads(reference_profile_path.read_text(encoding="utf-8"))
    escape = html.escape
    status = str(report.get("status", "unknown"))
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Data validation report</title>',
        f"<style>{STYLE}</style></head><body>",
        f'<h1>Data validation: <span class="{escape(status)}">{escape(status)}</span></h1>',
        f"<p>Rows: {escape(json.dumps(report.get('rows', {})))}. Drift reference: "
        f"{escape(str(drift.get('reference_version') or f'none ({reference_note})'))}; "
        f"drifted share {escape(str(drift.get('drifted_share', 'n/a')))}, "
        f"drift detected: {escape(str(drift.get('drift_detected', False)))}.</p>",
    ]
    if report.get("problems"):
        lines.append("<h2>What failed</h2><ul>")
        lines += [f'<li class="failed">{escape(problem)}</li>' for problem in report["problems"]]
        lines.append("</ul>")
    lines += [
        '<p class="legend">Distribution:<span style="background:#1f77b4"></span>this data'
        '<span style="background:#999"></span>reference (the production model\'s training data)</p>',
        "<table><thead><tr><th>column</th><th>schema</th><th>missing</th><th>drift (PSI)</th>"
        "<th>distribution</th><th>failed</th></tr></thead><tbody>",
    ]
    for row in column_rows(report):
        missing = "" if row["missing"] is None else f"{row['missing']:.1%}"
        psi = "" if row["psi"] is None else f"{row['psi']:.3f}"
        failed = "; ".join(row["failed"])
        lines.append(
            f'<tr><td>{escape(row["column"])}</td><td class="{row["schema"]}">{row["schema"]}</td>'
            f"<td>{missing}</td><td>{psi}</td><td>{_chart(row['column'], frame, reference)}</td>"
            f'<td class="failed">{escape(failed)}</td></tr>'
        )
    lines.append("</tbody></table></body></html>")
    atomic_write_text(path, "\n".join(lines) + "\n")
    return path
