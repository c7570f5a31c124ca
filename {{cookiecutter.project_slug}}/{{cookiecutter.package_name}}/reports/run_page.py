"""The run report: one self-contained HTML page per `train` run saying what it decided and why, what the model
relies on, whether the data moved, and the run's facts. Pictures are inline (SVG, or PNG as base64), nothing is
fetched from the network, so the page opens anywhere: from an artifact store, MLflow or an e-mail.

Each function renders one section from plain values; the training pipeline gathers them and writes the page."""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..entity.config_entity import LOWER_IS_BETTER

RUN_REPORT_FILE = "report.html"
STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#222}table{border-collapse:collapse}
td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left;vertical-align:middle}
td.number{text-align:right;font-variant-numeric:tabular-nums}tr.gate td{font-weight:600}
.decision{font-size:1.15rem;padding:.8rem 1rem;border-left:.4rem solid #1b5e20;background:#f1f8e9}
.decision.rejected{border-color:#b00020;background:#fdecea}.note{color:#555}.drifted{color:#b00020;font-weight:600}
img{max-width:100%}.figures{display:flex;flex-wrap:wrap;gap:1rem}figure{margin:0}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem}
"""


def _number(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, int | float) and not isinstance(value, bool) else ""


def decision_section(promoted: bool, decision: str) -> str:
    """The decision and its reason, in one sentence."""
    kind = "decision" if promoted else "decision rejected"
    return f'<p class="{kind}" id="decision">{html.escape(decision)}</p>'


def metrics_section(evaluation: dict[str, Any], gate: str) -> str:
    """The candidate, the production model (when it was compared) and the best trivial baseline on the same test
    rows, side by side; `gate` says how the margin was made."""
    metric = str(evaluation.get("metric"))
    baseline = evaluation.get("baseline") or {}
    columns: list[tuple[str, dict[str, Any]]] = [("candidate", evaluation.get("candidate") or {})]
    if evaluation.get("production"):
        columns.append((f"production {evaluation.get('production_version')}", evaluation["production"]))
    columns.append((f"best trivial baseline ({baseline.get('strategy')})", baseline.get("metrics") or {}))
    names = list(dict.fromkeys(name for _, values in columns for name in values))
    head = "".join(f"<th>{html.escape(title)}</th>" for title, _ in columns)
    rows = []
    for name in sorted(names, key=lambda item: item != metric):
        direction = "lower is better" if name in LOWER_IS_BETTER else "higher is better"
        label = f"{name} (gate metric, {direction})" if name == metric else name
        cells = "".join(f'<td class="number">{_number(values.get(name))}</td>' for _, values in columns)
        gate_row = ' class="gate"' if name == metric else ""
        rows.append(f"<tr{gate_row}><td>{html.escape(label)}</td>{cells}</tr>")
    return (
        f"<h2>Metrics on {evaluation.get('test_rows')} held-out test rows</h2>"
        f'<table id="metrics"><thead><tr><th>metric</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f'<p class="note">{html.escape(gate)}</p>'
    )


def png_figure(path: Path, caption: str) -> str:
    """A PNG file embedded as base64, or a line saying it was not drawn."""
    if not path.is_file():
        return f'<p class="note">{html.escape(caption)}: not drawn.</p>'
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def plots_section(title: str, lines: Sequence[str], figures: Sequence[tuple[Path, str]]) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    pictures = "".join(png_figure(path, caption) for path, caption in figures)
    return f'<h2>{html.escape(title)}</h2>{paragraphs}<div class="figures">{pictures}</div>'


def importance_section(
    metric: str, rows: int, repeats: int, columns: Sequence[tuple[str, float, float]], skipped: str | None
) -> str:
    """Permutation importance, top columns first: how much `metric` worsens when a column is shuffled."""
    title = '<h2 id="importance">What the model relies on</h2>'
    if skipped is not None:
        return f'{title}<p class="note">Permutation importance {html.escape(skipped)}.</p>'
    top = max((mean for _, mean, _ in columns), default=0.0) or 1.0
    body = []
    for column, mean, spread in columns:
        width = max(0.0, 160 * mean / top)
        bar = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="12" role="img">'
            f'<rect x="0" y="1" width="{width:.1f}" height="10" fill="#1f77b4"/></svg>'
        )
        body.append(
            f'<tr><td>{html.escape(column)}</td><td class="number">{mean:.4f}</td>'
            f'<td class="number">{spread:.4f}</td><td>{bar}</td></tr>'
        )
    return (
        f"{title}<p>How much {html.escape(metric)} worsens when one column's values are shuffled among {rows} "
        f"held-out test rows ({repeats} repeats; the spread is their standard deviation). Top {len(columns)}:</p>"
        f'<table class="importance"><thead><tr><th>column</th><th>{html.escape(metric)} lost</th><th>spread</th>'
        f"<th></th></tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def facts_section(facts: Sequence[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><th>{html.escape(name)}</th><td>{html.escape(value)}</td></tr>" for name, value in facts)
    return f'<h2>The run</h2><table id="facts"><tbody>{rows}</tbody></table>'


def render_page(title: str, sections: Sequence[str]) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>',
            f"<style>{STYLE}</style></head><body>",
            f"<h1>{html.escape(title)}</h1>",
            *sections,
            "</body></html>",
        ]
    )
