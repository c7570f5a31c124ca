"""Fill the configured data source with a CSV file (default: the shipped sample), replacing what is there.

Usage: `python scripts/load_data.py [FILE.csv]`,
then `python -m {{ cookiecutter.package_name }} train`.
The connection comes from the environment or .env, as for training. The file's delimiter, decimal mark and
encoding are detected as `schema --input` detects them.
"""

import sys
from pathlib import Path

from {{ cookiecutter.package_name }}.builders.data_source import build_data_source
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.exception import PipelineError
from {{ cookiecutter.package_name }}.schema_inference.command import file_dialect
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file

DEFAULT_INPUT = Path(__file__).resolve().parent.parent / "data" / "raw" / "sensor_sample.csv"


def main() -> int:
    try:
        settings = load_settings()
        input_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_INPUT
        source = build_data_source(settings)
        dialect, _ = file_dialect(input_path, {})
        rows = source.write(read_csv_file(input_path, settings.schema.missing_values, dialect))
    except PipelineError as error:
        print(f"error: {error}", file=sys.stderr)
        return error.exit_code
    print(f"loaded {rows} rows into {source.describe()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
