"""Data chores run inside the generated project's .venv (it has pandas and numpy; the template's tools do not).

python data_tools.py make SAMPLE.csv OUT.csv ROWS                rows resampled from the sample, with noise
python data_tools.py make-real OUT.csv ROWS [--with-target]      a table shaped like users' data (REAL_TARGET)
python data_tools.py pandas-floor IN.csv OUT.csv                 the batch floor: pandas reads and writes a file
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

MISSING = "na"
NOISE = 0.05  # relative standard deviation of the multiplicative noise on each reading
REAL_TARGET = "churned"
GAP_SHARE = 0.05  # of each column with gaps


def make(sample: str, output: str, rows: int, seed: int = 7) -> None:
    """Resample the sample's rows with replacement and jitter every reading, so no row repeats exactly.

    Missing markers stay where they were; integer columns stay integers; the target column is kept.
    """
    frame = pd.read_csv(sample, na_values=[MISSING], keep_default_na=False)
    generator = np.random.default_rng(seed)
    picked = frame.iloc[generator.integers(0, len(frame), size=rows)].reset_index(drop=True)
    for column in picked.select_dtypes("number").columns:
        numbers = picked[column].astype(float)
        noisy = numbers * generator.normal(1.0, NOISE, size=rows)
        integral = bool((numbers.dropna() % 1 == 0).all())
        picked[column] = noisy.round().astype("Int64") if integral else noisy.round(4)
    picked.to_csv(output, index=False, na_rep=MISSING)


def make_real(output: str, rows: int, with_target: bool = False, seed: int = 11) -> None:
    """Customers: whole and fractional numbers, categories, a Yes/No column and a sign-up date, each with gaps,
    an ID `schema` drops, and (`with_target`) whether they left, yes or no, learnable from the columns."""
    generator = np.random.default_rng(seed)
    days = generator.integers(0, 3650, rows)
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{number:08d}" for number in range(rows)],
            "tenure_months": generator.integers(0, 120, rows),
            "monthly_fee": generator.gamma(3.0, 20.0, rows).round(2),
            "support_calls": generator.poisson(1.5, rows).astype(float),
            "region": generator.choice(["north", "south", "east", "west", "centre"], rows),
            "plan": generator.choice(["basic", "plus", "pro"], rows, p=[0.5, 0.3, 0.2]),
            "paperless": generator.choice(["Yes", "No"], rows),
            "signed_up": (pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d"),
        }
    )
    score = (
        -1.0
        - 0.03 * frame["tenure_months"]
        + 0.02 * frame["monthly_fee"]
        + 0.6 * frame["support_calls"]
        + frame["plan"].map({"basic": 0.8, "plus": 0.0, "pro": -0.8})
        + (frame["paperless"] == "Yes") * 0.5
    )
    left = generator.random(rows) < 1 / (1 + np.exp(-score))
    for column in ("monthly_fee", "support_calls", "region", "paperless", "signed_up"):
        frame.loc[generator.random(rows) < GAP_SHARE, column] = None
    if with_target:
        frame[REAL_TARGET] = np.where(left, "yes", "no")
    frame.to_csv(output, index=False)


def pandas_floor(source: str, output: str) -> None:
    pd.read_csv(source).to_csv(output, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    maker = commands.add_parser("make")
    maker.add_argument("sample")
    maker.add_argument("output")
    maker.add_argument("rows", type=int)
    real = commands.add_parser("make-real")
    real.add_argument("output")
    real.add_argument("rows", type=int)
    real.add_argument("--with-target", action="store_true")
    floor = commands.add_parser("pandas-floor")
    floor.add_argument("source")
    floor.add_argument("output")
    arguments = parser.parse_args()
    if arguments.command == "make":
        make(arguments.sample, arguments.output, arguments.rows)
    elif arguments.command == "make-real":
        make_real(arguments.output, arguments.rows, arguments.with_target)
    else:
        pandas_floor(arguments.source, arguments.output)


if __name__ == "__main__":
    main()
