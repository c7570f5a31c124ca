"""Regenerate data/raw/sensor_sample.csv, the sample the project ships, byte for byte.

The rows imitate the APS (air pressure system) failure data of Scania trucks: anonymised counters and histogram
bins, skewed and partly missing ("na"), and a rare positive class `pos` for failures of that system. A handful of
sensors read higher before a failure, so a model can learn it, but not perfectly.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = PROJECT_ROOT / "data" / "raw" / "sensor_sample.csv"

# name: (share of missing values, how much higher the sensor reads before a failure, in log units)
SENSORS: dict[str, tuple[float, float]] = {
    "aa_000": (0.00, 1.6),
    "ab_000": (0.55, 0.3),
    "ac_000": (0.05, 0.0),
    "ad_000": (0.20, 0.0),
    "ae_000": (0.04, 0.4),
    "af_000": (0.04, 0.0),
    "ag_001": (0.01, 1.2),
    "ag_002": (0.01, 1.0),
    "ah_000": (0.01, 0.9),
    "ai_000": (0.01, 0.0),
    "aj_000": (0.01, 0.0),
    "ak_000": (0.07, 0.0),
    "al_000": (0.01, 0.6),
    "am_0": (0.01, 0.8),
    "an_000": (0.01, 1.1),
    "ao_000": (0.01, 0.7),
    "ap_000": (0.01, 0.0),
    "aq_000": (0.01, 0.5),
    "ar_000": (0.05, 0.0),
    "as_000": (0.01, 0.0),
}
CONSTANT_COLUMN, CONSTANT_VALUE = "cd_000", 1209600  # constant in the real data too: listed in drop_columns
POSITIVE_RATE = 0.07


def make_sample(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    failing = rng.random(rows) < POSITIVE_RATE
    # A hidden "wear" level shared by the sensors makes them correlated, like real machines.
    wear = rng.normal(0.0, 0.6, rows) + np.where(failing, 0.8, 0.0)
    columns: dict[str, object] = {"class": np.where(failing, "pos", "neg")}
    for index, (name, (missing_share, failure_shift)) in enumerate(SENSORS.items()):
        scale = 4.0 + index % 5
        log_values = scale + 0.5 * wear + failure_shift * failing + rng.normal(0.0, 1.0, rows)
        values = np.floor(np.expm1(np.clip(log_values, 0.0, None))).astype(np.int64).astype(object)
        values[rng.random(rows) < missing_share] = "na"
        columns[name] = values
    columns[CONSTANT_COLUMN] = np.full(rows, CONSTANT_VALUE)
    return pd.DataFrame(columns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3000, help="number of rows (default 3000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="CSV file to write")
    arguments = parser.parse_args()
    frame = make_sample(arguments.rows, arguments.seed)
    arguments.output.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(arguments.output, index=False, lineterminator="\n")
    print(f"wrote {len(frame)} rows ({(frame['class'] == 'pos').mean():.1%} pos) to {arguments.output}")


if __name__ == "__main__":
    main()
