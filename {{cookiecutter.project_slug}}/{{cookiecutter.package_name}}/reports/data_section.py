"""The data section of the run report, and of `monitor`'s page for the rows the server scored: per feature column,
this data against the production model's training data (the drift reference), its missing share, drift statistic
and verdict; the columns that drifted come first."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .histograms import CURRENT, REFERENCE, column_chart


def drift_sentence(drift: Mapping[str, Any]) -> str:
    """What the drift check of data_validation/report.yaml found, in words."""
    if not drift:  # validation stopped before measuring drift
        return ""
    version = drift.get("reference_version")
    if not version:
        note = str(drift.get("note") or "")
        if note.startswith("no reference"):  # a production version whose reference profile cannot be read
            return f"{note[0].upper()}{note[1:]}, so drift was not measured."
        return "No production model yet, so no drift reference: this run's training data becomes the first one."
    drifted = list(drift.get("drifted_columns") or [])
    compared = len(drift.get("psi") or {})
    verdict = "Drift detected" if drift.get("drift_detected") else "No drift detected"
    named = f": {', '.join(drifted)}" if drifted else ""
    return (
        f"{verdict} against {version}: {len(drifted)} of {compared} columns drifted{named} "
        f"(a column drifts at PSI above {drift.get('psi_threshold')} or when its missing share moves by more than "
        f"{drift.get('missing_share_threshold')}; the data set when more than "
        f"{drift.get('max_drifted_share')} of its columns do)."
    )


def _order(columns: list[str], drift: Mapping[str, Any]) -> list[str]:
    """Drifted columns first, then by PSI, highest first; without a reference, in the schema's order."""
    psi = drift.get("psi") or {}
    drifted = set(drift.get("drifted_columns") or [])
    return sorted(columns, key=lambda column: (column not in drifted, -float(psi.get(column, 0.0))))


def data_section(
    validation: Mapping[str, Any],
    train: pd.DataFrame,
    feature_types: Mapping[str, str],
    reference_profile: Mapping[str, Any] | None,
    *,
    summary: str | None = None,
    subject: str = "this run's training data",
) -> str:
    """`validation` is data_validation/report.yaml (or `monitor`'s); `train` the typed features it describes, named
    `subject` in the legend; `summary` says where those rows come from (by default: a run's split)."""
    drift = validation.get("drift") or {}
    psi, reasons = drift.get("psi") or {}, drift.get("drift_reasons") or {}
    missing = validation.get("missing_fraction") or {}
    reference = dict((reference_profile or {}).get("features") or {})
    rows = []
    for column in _order([column for column in feature_types if column in train.columns], drift):
        kind = feature_types[column]
        chart, note = column_chart(train[column], kind, reference.get(column))
        share = missing.get(column)
        verdict = (
            f'<span class="drifted">drifted: {html.escape(reasons[column])}</span>'
            if column in reasons
            else ("stable" if column in psi else "")
        )
        rows.append(
            f"<tr><td>{html.escape(column)}</td><td>{kind}</td>"
            f'<td class="number">{"" if share is None else f"{share:.1%}"}</td>'
            f'<td class="number">{"" if column not in psi else f"{psi[column]:.3f}"}</td><td>{verdict}</td>'
            f'<td>{chart}<br><span class="note">{html.escape(note)}</span></td></tr>'
        )
    counts = validation.get("rows") or {}
    legend = f'<span style="background:{CURRENT}"></span>{html.escape(subject)}'
    if drift.get("reference_version"):
        version = html.escape(str(drift["reference_version"]))
        legend += f'<span style="background:{REFERENCE}"></span>the reference ({version}: its training data)'
    if summary is None:
        train, test = counts.get("train", "?"), counts.get("test", "?")
        summary = f"{train} training rows and {test} test rows passed the schema check."
    return (
        '<h2 id="data">The data</h2>'
        f"<p>{html.escape(summary)} {html.escape(drift_sentence(drift))}</p>"
        f'<p class="legend">{legend}</p>'
        '<table class="columns"><thead><tr><th>column</th><th>kind</th><th>missing</th><th>drift (PSI)</th>'
        f"<th>verdict</th><th>distribution</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
