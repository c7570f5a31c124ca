"""Data chores run inside the generated project's .venv (it has pandas and numpy; the template's tools do not).

python data_tools.py make SAMPLE.csv OUT.csv ROWS [--times N]   rows resampled from the sample, with noise
python data_tools.py pandas-floor IN.csv OUT.csv                 the batch floor: pandas reads and writes a file
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

MISSING = "na"
NOISE = 0.05  # relative standard deviation of the multiplicative noise on each reading


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


def pandas_floor(source: str, output: str) -> None:
    pd.read_csv(source).to_csv(output, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    maker = commands.add_parser("make")
    maker.add_argument("sample")
    maker.add_argument("output")
    maker.add_argument("rows", type=int)
    floor = commands.add_parser("pandas-floor")
    floor.add_argument("source")
    floor.add_argument("output")
    arguments = parser.parse_args()
    if arguments.command == "make":
        make(arguments.sample, arguments.output, arguments.rows)
    else:
        pandas_floor(arguments.source, arguments.output)


if __name__ == "__main__":
    main()
