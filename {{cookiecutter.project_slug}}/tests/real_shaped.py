"""Rows shaped like a user's table, made here: a number, categories with gaps (one with more values than
MAX_CATEGORIES), a yes/no column and a date and time with gaps, and a score the columns decide. Tests of the ONNX
export and of scoring share them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from {{ cookiecutter.package_name }}.training.preprocessing import MAX_CATEGORIES

REAL_SHAPED_TYPES = {
    "reading": "numeric",
    "colour": "categorical",
    "site": "categorical",
    "valve": "boolean",
    "serviced": "datetime",
}


def real_shaped_rows(rows: int, seed: int) -> tuple[pd.DataFrame, pd.Series]:
    """As a CSV of a user's table reads, with the score (a number) the columns decide, plus noise; the rarest sites
    share one infrequent column."""
    generator = np.random.default_rng(seed)
    colour = generator.choice(["red", "green", "blue"], rows).astype(object)
    colour[generator.random(rows) < 0.15] = np.nan
    site = np.array([f"site{number}" for number in generator.zipf(1.3, rows) % (MAX_CATEGORIES + 15)], dtype=object)
    site[generator.random(rows) < 0.1] = np.nan
    valve = generator.choice(["yes", "no"], rows).astype(object)
    valve[generator.random(rows) < 0.1] = np.nan
    reading = generator.normal(10, 3, rows)
    reading[generator.random(rows) < 0.1] = np.nan
    hours = generator.integers(-20 * 365 * 24, 60 * 365 * 24, rows)  # 1950 to 2030
    serviced = np.array((pd.Timestamp("1970-01-01") + pd.to_timedelta(hours, unit="h")).astype(str), dtype=object)
    serviced[generator.random(rows) < 0.1] = np.nan
    frame = pd.DataFrame({"reading": reading, "colour": colour, "site": site, "valve": valve, "serviced": serviced})
    score = np.nan_to_num(reading - 10) + 3 * (colour == "red") - 2 * (valve == "yes") + 2 * pd.isna(site)
    return frame, pd.Series(score + generator.normal(0, 1, rows), name="target")
