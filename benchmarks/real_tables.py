"""The serving and batch targets on a table shaped like users' data, for each model library: a project retargeted
with `schema` as a user does (numbers, categories, a Yes/No column and a date, each with gaps; an ID), then served
and scored, and the server's answers compared with batch `predict`'s for the same rows."""

from __future__ import annotations

import csv
import json
import urllib.request
from pathlib import Path

from benchmarks.batch import DATA_TOOLS, make_real_data, measure_batch
from benchmarks.common import PACKAGE, measure, prepare_project, project_python
from benchmarks.report import Figure, Target
from benchmarks.serving import measure_serving, sample_records, server

LIBRARIES = ("scikit-learn", "lightgbm", "xgboost")
TRAIN_ROWS = 20_000
CHECK_ROWS = 2_000  # rows both the server and batch `predict` answer, to compare
RECORDS_PER_CHECK = 100
REAL_TARGET = "churned"  # data_tools.py's REAL_TARGET (that module runs in the project's .venv, not here)
PARITY = 1e-6  # batch `predict` writes probabilities to 6 decimals: a difference up to 5e-7 is its rounding


def prepare_real_project(workdir: Path, library: str) -> Path:
    """A `model_library=library` project, `schema` pointed at a real-shaped table, trained on it."""
    project = prepare_project(workdir / library, f"model_library={library}", train=False)
    python = project_python(project)
    measure([python, DATA_TOOLS, "make-real", project / "data" / "raw" / "real.csv", TRAIN_ROWS, "--with-target"])
    schema = ["schema", "--input", "data/raw/real.csv", "--target", REAL_TARGET]
    measure([python, "-m", PACKAGE, *schema], cwd=project)
    measure([python, "-m", PACKAGE, "train"], cwd=project)
    return project


def serving_runtime(project: Path) -> dict:
    """What serves the production model (`runtime`: onnxruntime or scikit-learn) and, when not ONNX, `reason`."""
    production = project / "models" / "production"
    version = (production / "CURRENT").read_text(encoding="utf-8").strip()
    return json.loads((production / version / "metadata.json").read_text(encoding="utf-8"))["serving_runtime"]


def served_answers(url: str, records: list[dict]) -> list[dict]:
    answers = []
    for start in range(0, len(records), RECORDS_PER_CHECK):
        body = json.dumps({"records": records[start : start + RECORDS_PER_CHECK]}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as answer:
            answers += json.load(answer)["predictions"]
    return answers


def parity_figures(project: Path, workdir: Path, label: str) -> list[Figure]:
    """The same rows through the server and through batch `predict`: labels and probabilities must agree."""
    rows = make_real_data(project, workdir, CHECK_ROWS)
    predicted = workdir / f"parity-{project.parent.name}.csv"
    measure([project_python(project), "-m", PACKAGE, "predict", "--input", rows, "--output", predicted], cwd=project)
    with predicted.open(newline="") as handle:
        batch = list(csv.DictReader(handle))
    with server(project, floor=False) as url:
        served = served_answers(url + "/predict", sample_records(rows, target=REAL_TARGET))
    if len(served) != len(batch):
        raise RuntimeError(f"the server answered {len(served)} of {len(batch)} rows")
    # Both sides hold 6 decimals: their difference is a whole number of millionths, up to float noise (1.0000000003e-6).
    difference = round(
        max(abs(answer["probability"] - float(row["probability"])) for answer, row in zip(served, batch, strict=True)),
        9,
    )
    labels = sum(str(answer["label"]) != row["prediction"] for answer, row in zip(served, batch, strict=True))
    return [
        Figure(
            f"{label}server vs batch predict, {CHECK_ROWS:,} rows: largest probability difference",
            difference,
            "",
            target=Target("value", PARITY, at_most=True),
        ),
        Figure(
            f"{label}server vs batch predict: labels that differ",
            labels,
            "",
            target=Target("value", 0, at_most=True),
        ),
    ]


def measure_real_tables(workdir: Path, repeats: int, seconds: float, say) -> list[Figure]:
    figures: list[Figure] = []
    for library in LIBRARIES:
        say(f"real-shaped table, model_library={library}: bake, install, schema, train")
        project = prepare_real_project(workdir, library)
        runtime = serving_runtime(project)
        label = f"real table, {library}, served by {runtime['runtime']}: "
        say(f"real-shaped table, {library}: served by {runtime['runtime']} {runtime.get('reason', '')}".rstrip())
        records = sample_records(make_real_data(project, workdir, TRAIN_ROWS // 10))
        figures += measure_serving(project, workdir, repeats, seconds, records=records, label=label)
        figures += measure_batch(project, workdir, repeats, real=True, label=label)
        figures += parity_figures(project, workdir, label)
    return figures
