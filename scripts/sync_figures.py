"""Write the figures quoted in the READMEs and docs from where they are measured or defined, or check them.

A quoted figure is marked where it stands, around the value only, so the text stays readable:

- in the template's own files (README.md): `<!-- fig NAME -->4,065<!-- /fig -->` (an HTML comment, invisible
  once rendered);
- in the generated project's files (`{{cookiecutter.project_slug}}/`): `{# fig NAME #}4,065{# /fig #}` (a Jinja
  comment, which the bake removes, so the projects carry the plain value).

NAME is a key of FIGURES below, which says where its value comes from: a row and column of the figures table of
`benchmarks/results.md` or `benchmarks/results-install.md` (both written by `benchmarks/run.py`; a generated
project has no benchmarks, hence this script lives in the template repository), or a module-level constant of
the generated package's code, read without importing it. `python scripts/sync_figures.py` rewrites every marked
value; `--check` changes nothing and exits 1 naming each value that differs from its source (the template's fast
tests run the same check).
"""

from __future__ import annotations

import argparse
import ast
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
PACKAGE_DIR = PROJECT_DIR / "{{cookiecutter.package_name}}"
RESULTS = TEMPLATE_DIR / "benchmarks" / "results.md"
INSTALL_RESULTS = TEMPLATE_DIR / "benchmarks" / "results-install.md"  # the install section's, run on its own
# Every file that may quote a figure.
DOCUMENTS = [TEMPLATE_DIR / "README.md", PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md"))]
MARKER = re.compile(
    r"(?P<open><!-- fig (?P<name>\w+) -->|\{# fig (?P<jinja_name>\w+) #\})"
    r"(?P<value>[^<{\n]*)"
    r"(?P<close><!-- /fig -->|\{# /fig #\})"
)


def whole(value: float) -> str:
    return f"{round(value):,}"


def significant(digits: int) -> Callable[[float], str]:
    """Rounded to `digits` significant digits, thousands separated: 271,744 -> 271,700 (4) or 272,000 (3)."""

    def write(value: float) -> str:
        if value == 0:
            return "0"
        decimals = digits - 1 - math.floor(math.log10(abs(value)))
        rounded = round(value, decimals)
        return f"{rounded:,.{max(decimals, 0)}f}"

    return write


def plain(value: float) -> str:
    """A constant as Python writes it, with exponents unpadded: 0.05, 1e-6."""
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", repr(value)).replace("e+", "e")


@dataclass(frozen=True)
class Result:
    """A cell of the figures table of a results file (benchmarks/results.md unless said): its first number."""

    row: str
    column: str  # "measured", "floor" or "ratio"
    write: Callable[[float], str]
    results: Path = RESULTS

    def value(self, tables: dict[Path, dict[str, dict[str, str]]]) -> str:
        table = tables[self.results]
        if self.row not in table:
            raise KeyError(f"{self.results.name} has no figure {self.row!r}")
        cell = table[self.row][self.column]
        number = re.match(r"[\d,.]+", cell)
        if not number:
            raise ValueError(f"{self.results.name}: {self.row!r} has no number under {self.column!r}: {cell!r}")
        return self.write(float(number.group().replace(",", "")))


@dataclass(frozen=True)
class Constant:
    """A module-level constant of the generated package, read from its source without importing it."""

    module: str  # path inside the package
    name: str
    write: Callable[[float], str] = plain

    def value(self, tables: dict[Path, dict[str, dict[str, str]]]) -> str:
        tree = ast.parse((PACKAGE_DIR / self.module).read_text(encoding="utf-8"))
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            if any(isinstance(target, ast.Name) and target.id == self.name for target in targets):
                return self.write(ast.literal_eval(node.value))
        raise KeyError(f"{self.module} defines no constant {self.name}")


SERVE_1 = "serve, 1 record/request, 32 connections: throughput"
INSTALL_VENV = ".venv as setup_venv.py builds it (dev extra): size"
INSTALL_RUNTIME = "runtime dependencies alone (uv export --no-dev): size"
FIGURES: dict[str, Result | Constant] = {
    "serve_rps": Result(SERVE_1, "measured", whole),
    "serve_rps_floor": Result(SERVE_1, "floor", whole),
    "serve_ratio": Result(SERVE_1, "ratio", significant(2)),
    "serve_p50_ms": Result("serve, 1 record/request: p50 latency", "measured", whole),
    "serve_p50_floor_ms": Result("serve, 1 record/request: p50 latency", "floor", whole),
    "serve_p99_ms": Result("serve, 1 record/request: p99 latency", "measured", whole),
    "serve_p99_floor_ms": Result("serve, 1 record/request: p99 latency", "floor", whole),
    "serve_100_records": Result("serve, 100 records/request: records/s", "measured", whole),
    "serve_100_records_floor": Result("serve, 100 records/request: records/s", "floor", whole),
    "serve_100_ratio": Result("serve, 100 records/request: records/s", "ratio", significant(2)),
    "predict_small_s": Result("predict 0.3M rows: time", "measured", significant(2)),
    "predict_small_rows": Result("predict 0.3M rows: rows/s", "measured", significant(4)),
    "predict_small_mb": Result("predict 0.3M rows: peak RSS", "measured", whole),
    "predict_small_floor_s": Result("predict 0.3M rows: time", "floor", significant(2)),
    "predict_small_floor_rows": Result("predict 0.3M rows: rows/s", "floor", significant(4)),
    "predict_small_floor_mb": Result("predict 0.3M rows: peak RSS", "floor", whole),
    "predict_large_s": Result("predict 1.2M rows: time", "measured", significant(2)),
    "predict_large_rows": Result("predict 1.2M rows: rows/s", "measured", significant(4)),
    "predict_large_rows_rounded": Result("predict 1.2M rows: rows/s", "measured", significant(3)),
    "predict_large_mb": Result("predict 1.2M rows: peak RSS", "measured", whole),
    "predict_large_floor_s": Result("predict 1.2M rows: time", "floor", significant(2)),
    "predict_large_floor_rows": Result("predict 1.2M rows: rows/s", "floor", significant(4)),
    "predict_large_floor_mb": Result("predict 1.2M rows: peak RSS", "floor", whole),
    "predict_large_ratio": Result("predict 1.2M rows: time", "ratio", significant(2)),
    "predict_memory_growth": Result("predict 1.2M rows: peak RSS", "ratio", significant(2)),
    "train_sample_s": Result("train on the sample: time", "measured", significant(2)),
    "train_sample_s_rounded": Result("train on the sample: time", "measured", whole),
    "train_10x_s": Result("train ×10 (30,000 rows): time", "measured", significant(3)),
    "train_10x_growth": Result("train ×10 (30,000 rows): time", "ratio", significant(2)),
    "train_100x_s": Result("train ×100 (300,000 rows): time", "measured", whole),
    "train_100x_mb": Result("train ×100 (300,000 rows): peak RSS", "measured", whole),
    "train_100x_growth": Result("train ×100 (300,000 rows): time", "ratio", whole),
    "bake_ratio": Result("bake (create_venv=no init_git=no)", "ratio", significant(2)),
    **{
        f"real_{key}_{library.replace('-', '_')}": Result(
            f"real table, {library}, served by onnxruntime: {row}", column, write
        )
        for library in ("scikit-learn", "lightgbm", "xgboost")
        for key, row, column, write in (
            ("serve_ratio", "serve, 1 record/request, 32 connections: throughput", "ratio", significant(2)),
            ("p99_ms", "serve, 1 record/request: p99 latency", "measured", whole),
            ("batch_rows", "predict 1.2M rows: rows/s", "measured", significant(3)),
            ("batch_ratio", "predict 1.2M rows: time", "ratio", significant(2)),
        )
    },
    "first_prediction_warm_s": Result("time to first prediction, warm uv cache", "measured", significant(3)),
    **{
        f"install_{installer}_{cache}_{key}": Result(
            f"install with {installer}, {cache} cache: time", column, write, INSTALL_RESULTS
        )
        for installer in ("uv", "pip")
        for cache in ("cold", "warm")
        for key, column, write in (
            ("none_s", "floor", significant(2)),
            ("mlflow_s", "measured", significant(2)),
            ("ratio", "ratio", significant(2)),
        )
    },
    "install_venv_none_mb": Result(INSTALL_VENV, "floor", whole, INSTALL_RESULTS),
    "install_venv_mlflow_mb": Result(INSTALL_VENV, "measured", whole, INSTALL_RESULTS),
    "install_runtime_none_mb": Result(INSTALL_RUNTIME, "floor", whole, INSTALL_RESULTS),
    "install_runtime_mlflow_mb": Result(INSTALL_RUNTIME, "measured", whole, INSTALL_RESULTS),
    "install_mlflow_adds_mb": Result(
        "of which added by experiment_tracking=mlflow", "measured", significant(2), INSTALL_RESULTS
    ),
    "onnx_tolerance": Constant("training/onnx_export.py", "PROBABILITY_TOLERANCE"),
    "onnx_value_tolerance": Constant("training/onnx_export.py", "VALUE_TOLERANCE"),
    "tune_trials": Constant("tuning/command.py", "DEFAULT_TRIALS"),
    "tune_timeout_s": Constant("tuning/command.py", "DEFAULT_TIMEOUT_SECONDS", lambda value: f"{value:g}"),
}


def results_table(text: str) -> dict[str, dict[str, str]]:
    """The rows of the first table under '## Figures', by the figure's name (leading spaces of sub-rows dropped)."""
    section = text.split("## Figures", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    table = {}
    for line in rows[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = dict(zip(header, cells, strict=True))
    return table


def synced(text: str, values: dict[str, str], where: str) -> str:
    """`text` with every marked figure replaced by its value; an unknown name fails, naming the file."""

    def replace(match: re.Match[str]) -> str:
        name = match["name"] or match["jinja_name"]
        if name not in values:
            raise KeyError(f"{where}: unknown figure {name!r} (known: {', '.join(sorted(values))})")
        return f"{match['open']}{values[name]}{match['close']}"

    return MARKER.sub(replace, text)


def figure_values() -> dict[str, str]:
    tables = {path: results_table(path.read_text(encoding="utf-8")) for path in (RESULTS, INSTALL_RESULTS)}
    return {name: source.value(tables) for name, source in FIGURES.items()}


def differences(documents: list[Path], values: dict[str, str]) -> list[str]:
    """One line per marked value that differs from its source: 'file: name quotes X, its source says Y'."""
    found = []
    for document in documents:
        where = document.relative_to(TEMPLATE_DIR).as_posix()
        for match in MARKER.finditer(document.read_text(encoding="utf-8")):
            name = match["name"] or match["jinja_name"]
            expected = values.get(name)
            if expected is None:
                found.append(f"{where}: unknown figure {name!r}")
            elif match["value"] != expected:
                found.append(f"{where}: {name} quotes {match['value']!r}, its source says {expected!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a quoted figure differs")
    arguments = parser.parse_args(argv)
    values = figure_values()
    if arguments.check:
        found = differences(DOCUMENTS, values)
        print("\n".join(found) or "every quoted figure matches its source")
        return 1 if found else 0
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        new = synced(text, values, document.relative_to(TEMPLATE_DIR).as_posix())
        if new != text:
            document.write_text(new, encoding="utf-8")
            print(f"rewrote {document.relative_to(TEMPLATE_DIR).as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
