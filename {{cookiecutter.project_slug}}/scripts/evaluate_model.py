"""Print the production model's metrics on a labelled CSV (default: the shipped sample).

Same as `python -m {{ cookiecutter.package_name }} evaluate --input FILE`.
"""

import sys
from pathlib import Path

from {{ cookiecutter.package_name }}.cli import main

DEFAULT_INPUT = Path(__file__).resolve().parent.parent / "data" / "raw" / "sensor_sample.csv"

if __name__ == "__main__":
    input_file = sys.argv[1] if len(sys.argv) > 1 else str(DEFAULT_INPUT)
    raise SystemExit(main(["evaluate", "--input", input_file]))
