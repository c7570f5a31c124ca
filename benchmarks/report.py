"""Figures, their targets, and the table that shows them (terminal and benchmarks/results.md)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """`on` is "value" or "ratio"; `at_most` True for an upper limit, False for a lower bound."""

    on: str
    limit: float
    at_most: bool

    def describe(self, unit: str) -> str:
        sign = "≤" if self.at_most else "≥"
        return f"ratio {sign} {fmt(self.limit)}" if self.on == "ratio" else f"{sign} {fmt(self.limit)} {unit}".strip()


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    floor: float | None = None  # the same quantity for the floor (empty endpoint, pandas, one-file template)
    ratio: float | None = None  # how the figure compares (value/floor, or growth against a base figure)
    ratio_means: str = ""  # what the ratio is, e.g. "time / floor time"
    target: Target | None = None

    def checked(self) -> float | None:
        if self.target is None:
            return None
        return self.ratio if self.target.on == "ratio" else self.value

    def met(self) -> bool | None:
        checked = self.checked()
        if checked is None:
            return None
        return checked <= self.target.limit if self.target.at_most else checked >= self.target.limit

    def verdict(self) -> str:
        """'yes' or 'no', with how far the figure is from its target as a factor."""
        checked, met = self.checked(), self.met()
        if met is None:
            return "—" if self.target is None else "not measured"
        if checked == 0 or self.target.limit == 0:
            return "yes" if met else f"no ({fmt(checked)})"
        factor = checked / self.target.limit if self.target.at_most else self.target.limit / checked
        return f"yes ({factor_text(1 / factor)} margin)" if met else f"no ({factor_text(factor)} off)"


def factor_text(factor: float) -> str:
    if math.isinf(factor):
        return "∞×"
    return f"{factor:.0f}×" if factor >= 10 else f"{factor:.3g}×"


def fmt(number: float | None) -> str:
    """Readable numbers: thousands separated, three significant digits for small ones."""
    if number is None:
        return "—"
    if math.isinf(number):
        return "none answered" if number > 0 else "-∞"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    if abs(number) >= 100:
        return f"{number:.0f}"
    return f"{number:.3g}"


HEADER = ("figure", "measured", "floor", "ratio", "target", "met?")


def rows(figures: list[Figure]) -> list[tuple[str, ...]]:
    table = []
    for figure in figures:
        unit = f" {figure.unit}" if figure.unit else ""
        floor = "—" if figure.floor is None else f"{fmt(figure.floor)}{unit}"
        ratio = (
            "—"
            if figure.ratio is None
            else f"{fmt(figure.ratio)}" + (f" ({figure.ratio_means})" * bool(figure.ratio_means))
        )
        target = figure.target.describe(figure.unit) if figure.target else "—"
        table.append((figure.name, f"{fmt(figure.value)}{unit}", floor, ratio, target, figure.verdict()))
    return table


def markdown_table(figures: list[Figure]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows(figures)]
    return "\n".join(lines)


def text_table(figures: list[Figure]) -> str:
    """The same table aligned for a terminal."""
    table = [HEADER, *rows(figures)]
    widths = [max(len(row[column]) for row in table) for column in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def machine_lines(machine: dict[str, str]) -> str:
    return "\n".join(f"- {key}: {value}" for key, value in machine.items())
