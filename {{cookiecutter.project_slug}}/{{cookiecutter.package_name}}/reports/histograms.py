"""One small inline SVG chart per feature column, on the column's real values: equal-width bins over the reference's
range (the production model's training data) with this data's bars beside the reference's, or the share of each
category. Quantile bins would draw every column of a first run as ten bars of equal height."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd

WIDTH, HEIGHT, AXIS = 240, 56, 14
BINS = 10
SHOWN_CATEGORIES = 8
CURRENT, REFERENCE = "#1f77b4", "#aaa"


def _label(value: float, kind: str) -> str:
    if kind == "datetime":  # typed features hold dates as seconds since 1970
        return str(pd.Timestamp(value, unit="s").date())
    if kind == "boolean":
        return "true" if value >= 0.5 else "false"
    return f"{value:.4g}"


def _svg(bars: list[tuple[float, float, float, str]], top: float, labels: tuple[str, str], title: str) -> str:
    """Bars given as (x, width, share, colour) on a chart whose tallest possible bar has `top` share."""
    rects = []
    for x, width, share, colour in bars:
        height = (HEIGHT - AXIS) * share / (top or 1.0)
        rects.append(
            f'<rect x="{x:.1f}" y="{HEIGHT - AXIS - height:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="{colour}"/>'
        )
    low, high = (html.escape(label) for label in labels)
    axis = (
        f'<line x1="0" y1="{HEIGHT - AXIS}" x2="{WIDTH}" y2="{HEIGHT - AXIS}" stroke="#666"/>'
        f'<text x="0" y="{HEIGHT - 2}" font-size="10">{low}</text>'
        f'<text x="{WIDTH}" y="{HEIGHT - 2}" font-size="10" text-anchor="end">{high}</text>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" role="img">'
        f"<title>{html.escape(title)}</title>{''.join(rects)}{axis}</svg>"
    )


def _paired(current: list[float], reference: list[float] | None) -> tuple[list[tuple[float, float, float, str]], float]:
    """Side-by-side bars per bin: this data, then the reference when there is one."""
    series = [(current, CURRENT)] + ([(reference, REFERENCE)] if reference is not None else [])
    slot = WIDTH / max(len(current), 1)
    width = slot / (len(series) + 0.3)
    bars = [
        (index * slot + offset * width, width, float(share), colour)
        for offset, (shares, colour) in enumerate(series)
        for index, share in enumerate(shares)
    ]
    return bars, max((bar[2] for bar in bars), default=0.0)


def numeric_chart(values: pd.Series, kind: str, reference: dict[str, Any] | None) -> tuple[str, str]:
    """(svg, note) for a numeric, boolean or date column; `reference` is its entry of a drift profile."""
    present = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    histogram = (reference or {}).get("histogram")
    note = ""
    if histogram:
        edges = np.asarray(histogram["edges"], dtype=float)
        reference_shares: list[float] | None = [float(share) for share in histogram["shares"]]
        outside = float(np.mean((present < edges[0]) | (present > edges[-1]))) if len(present) else 0.0
        if outside:
            note = f"{outside:.1%} of values outside the reference range"
    else:
        if not len(present):
            return _svg([], 1.0, ("", ""), "no values"), "no values"
        edges = np.histogram_bin_edges(present, bins=2 if kind == "boolean" else BINS)
        reference_shares = None
        if reference is not None:
            note = "the reference profile has no histogram (written by an older version)"
    counts, _ = np.histogram(present, bins=edges)
    shares = (counts / max(len(present), 1)).tolist()
    bars, top = _paired(shares, reference_shares)
    labels = (_label(float(edges[0]), kind), _label(float(edges[-1]), kind))
    return _svg(bars, top, labels, f"equal-width bins from {labels[0]} to {labels[1]}"), note


def category_chart(values: pd.Series, reference: dict[str, Any] | None) -> tuple[str, str]:
    """(svg, note) for a categorical column: the share of its most common categories (the reference's first)."""
    text = values.dropna().astype(str)
    counts = text.value_counts(normalize=True)
    known = list((reference or {}).get("categories") or [])
    categories = (known or [str(name) for name in counts.index])[:SHOWN_CATEGORIES]
    current = [float(counts.get(name, 0.0)) for name in categories]
    compared = None
    if known:
        shares = list(reference["shares"]) if reference else []
        compared = [float(share) for share in shares[: len(categories)]]
    bars, top = _paired(current, compared)
    rest = len(set(counts.index) | set(known)) - len(categories)
    note = f"{len(categories)} most common categories shown; {rest} more" if rest > 0 else ""
    names = ", ".join(categories)
    return _svg(bars, top, (categories[0] if categories else "", categories[-1] if categories else ""), names), note


def column_chart(values: pd.Series, kind: str, reference: dict[str, Any] | None) -> tuple[str, str]:
    """The chart of one typed feature column and a short note on what it leaves out."""
    if kind == "categorical":
        return category_chart(values, reference)
    return numeric_chart(values, kind, reference)
