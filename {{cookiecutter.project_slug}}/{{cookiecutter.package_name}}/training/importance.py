"""What a model relies on: permutation importance of each raw feature column on held-out rows, in bounded time.

Shuffling one column breaks its link with the target; how much the gate metric then worsens is how much the model
needs that column. Rows and repeats are capped, and the work is skipped, saying why, when its estimated time exceeds
the budget: a report must never make a run slow.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..entity.config_entity import MisclassificationCosts
from ..inference.model import TabularModel
from ..utils.files import read_json, write_json
from .metrics import improvement
from .scoring import score_model

MAX_ROWS = 2_000
REPEATS = 5
BUDGET_SECONDS = 60.0
IMPORTANCE_FILE = "importance.json"
TOP_COLUMNS = 20  # kept, and shown by the run page and the model card


@dataclass(frozen=True)
class ColumnImportance:
    column: str
    mean: float  # how much the metric worsened when the column was shuffled, averaged over repeats
    spread: float  # the standard deviation of that over repeats


@dataclass(frozen=True)
class PermutationImportance:
    metric: str
    rows: int
    repeats: int
    columns: list[ColumnImportance] = field(default_factory=list)
    skipped: str | None = None  # why nothing was measured

    def top(self, count: int = TOP_COLUMNS) -> list[ColumnImportance]:
        return sorted(self.columns, key=lambda item: item.mean, reverse=True)[:count]


def write_importance(path: Path, found: PermutationImportance) -> Path:
    """The top columns, strongest first, as JSON beside the evaluation's report."""
    return write_json(path, dataclasses.replace(found, columns=found.top()))


def read_importance(path: Path) -> PermutationImportance:
    data = read_json(path)
    columns = [ColumnImportance(**column) for column in data["columns"]]
    return PermutationImportance(data["metric"], data["rows"], data["repeats"], columns, data["skipped"])


def permutation_importance(
    model: TabularModel,
    test: pd.DataFrame,
    target: str,
    metric: str,
    costs: MisclassificationCosts | None = None,
    *,
    random_state: int = 0,
    max_rows: int = MAX_ROWS,
    repeats: int = REPEATS,
    budget_seconds: float = BUDGET_SECONDS,
) -> PermutationImportance:
    """Each feature column of `model` shuffled `repeats` times in at most `max_rows` of the labelled `test` rows."""
    rows = test.sample(n=max_rows, random_state=random_state) if len(test) > max_rows else test
    rows = rows.reset_index(drop=True)
    columns = [column for column in model.feature_columns if column in rows.columns]
    started = time.perf_counter()
    baseline = score_model(model, rows, target, costs)[metric]
    estimate = (time.perf_counter() - started) * len(columns) * repeats
    if estimate > budget_seconds:
        reason = (
            f"skipped: {len(columns)} columns x {repeats} repeats on {len(rows)} rows would take about "
            f"{estimate:.0f}s, over the {budget_seconds:.0f}s budget"
        )
        return PermutationImportance(metric, len(rows), repeats, skipped=reason)
    generator = np.random.default_rng(random_state)
    measured = []
    for column in columns:
        original = rows[column]
        drops = []
        for _ in range(repeats):
            rows[column] = original.to_numpy()[generator.permutation(len(rows))]
            drops.append(improvement(metric, baseline, score_model(model, rows, target, costs)[metric]))
        rows[column] = original
        measured.append(ColumnImportance(column, float(np.mean(drops)), float(np.std(drops))))
    return PermutationImportance(metric, len(rows), repeats, measured)
