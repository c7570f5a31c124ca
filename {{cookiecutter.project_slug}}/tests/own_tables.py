"""A user's own table through `schema` and `train`, as the Quickstart's next step does it: in a fresh project with
the shipped config, once per test session. The integration tests of real-shaped tables share this."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.cli import main

from tests.conftest import PointAtServices, copy_config{% if cookiecutter.data_source != "csv" %}, load_into_source{% endif %}

# Writes the table (and anything else the test needs) into a new project's root; returns the file `schema` reads.
WriteTable = Callable[[Path], Path]
# Puts the table's rows into the configured data source, as scripts/load_data.py does: (root, the written file).
FillSource = Callable[[Path, Path], None]


@dataclass(frozen=True)
class OwnTable:
    root: Path
    data: Path
    schema_output: str
    train_output: str


def as_csv(name: str, frame: pd.DataFrame) -> WriteTable:
    """Writes `frame` as the plain CSV file data/raw/`name`.csv."""

    def write(root: Path) -> Path:
        data = root / "data" / "raw" / f"{name}.csv"
        frame.to_csv(data, index=False)
        return data

    return write


def run_cli(command: list[str]) -> str:
    """What the command printed on stdout and stderr; it must succeed. (capsys is function-scoped: session
    fixtures capture for themselves.)"""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
        code = main(command)
    assert code == 0, f"{' '.join(command)} exited {code}: {buffer.getvalue()}"
    return buffer.getvalue()


def train_own_table(
    directory: Path,
    write: WriteTable,
    target: str,
    point_at_services: PointAtServices,
    fill_source: FillSource | None = None,
    *,
    importance: bool = False,
) -> OwnTable:
    """A project in `directory` with the shipped config and the table `write` makes, after `schema --target` and
    `train` (permutation importance only if asked for: it adds seconds){% if cookiecutter.data_source != "csv" %}; in between, `fill_source` (by
    default the file as written) fills the {{ cookiecutter.data_source }} source{% endif %}."""
    root = directory / "project"
    copy_config(root, importance=importance)
    (root / "data" / "raw").mkdir(parents=True)
    data = write(root)
    with pytest.MonkeyPatch.context() as patch:
        point_at_services(root, patch)
{%- if cookiecutter.experiment_tracking == "mlflow" %}
        patch.delenv("MLFLOW_TRACKING_URI", raising=False)  # each table's runs in its project's own store
{%- endif %}
        patch.chdir(root)
        schema_output = run_cli(["schema", "--input", str(data.relative_to(root)), "--target", target])
{%- if cookiecutter.data_source != "csv" %}
        (fill_source or load_into_source)(root, data)
{%- endif %}
        train_output = run_cli(["train"])
    return OwnTable(root, data, schema_output, train_output)
