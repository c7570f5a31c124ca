"""The data validation report as one self-contained HTML page: per column, the schema check, the missing share,
the drift statistic against the reference and what failed, each with a small inline SVG chart (no files, no
scripts, no network), so it opens anywhere, from an artifact store or an e-mail."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pandas as pd

from ..utils.files import atomic_write_text
from .data_section import drift_sentence
from .histograms import column_chart

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:middle}
.failed{color:#b00020;font-weight:600}.passed{color:#1b5e20}.warn{color:#e65100}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem}
"""


def _chart(column: str, frame: pd.DataFrame | None, reference: dict[str, Any] | None) -> str:
    """Equal-width bins on the column's values (the reference's range when its profile has one), or category shares."""
    if frame is None or column not in frame.columns:
        return ""
    entry = ((reference or {}).get("features") or {}).get(column)
    values = frame[column]
    kind = (entry or {}).get("kind") or ("numeric" if pd.api.types.is_numeric_dtype(values) else "categorical")
    return column_chart(values, kind, entry)[0]


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


def _rows_sentence(rows: dict[str, Any]) -> str:
    """{"train": 2412, "test": 588} as words."""
    return "; ".join(f"{count} {name} rows" for name, count in rows.items()) + "." if rows else ""


def write_validation_html(
    path: Path, report: dict[str, Any], frame: pd.DataFrame | None, reference_profile_path: Path | None
) -> Path:
    """Write report.html beside report.yaml from the same report dictionary, plus charts of `frame`."""
    drift = report.get("drift") or {}
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
        f"<p>{escape(_rows_sentence(report.get('rows') or {}))} {escape(drift_sentence(drift))}</p>",
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
