"""Targets as written: `True`/`False`, `1`/`0` and `yes`/`no` labels go through `schema`, `train` and `predict`
spelled as the data spells them, whatever pandas, YAML or a data source turns them into on the way."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR
from {{ cookiecutter.package_name }}.utils.labels import match_labels

from tests.conftest import PointAtServices, copy_config{% if cookiecutter.data_source != "csv" %}, load_into_source{% endif %}

# The target's two spellings (negative, positive) as the CSV file writes them.
SPELLINGS = {"true-false": ("False", "True"), "one-zero": ("0", "1"), "yes-no": ("no", "yes")}


def _frame(negative: str, positive: str, rows: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {"a": rng.normal(size=rows), "b": rng.normal(size=rows), "c": rng.choice(["x", "y", "z"], rows)}
    )
    signal = frame["a"] + 0.5 * frame["b"] + (frame["c"] == "x") + rng.normal(0, 0.3, rows)
    frame["outcome"] = np.where(signal > 0.8, positive, negative)
    return frame


def _project(root: Path, frame: pd.DataFrame) -> Path:
    copy_config(root)
    (root / "data" / "raw").mkdir(parents=True)
    frame.to_csv(root / "data" / "raw" / "table.csv", index=False)
    return root


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory, point_at_services: PointAtServices) -> dict[str, Path]:
    """Each spelling through `schema --positive <as written>` and `train` once."""
    roots = {}
    for name, (negative, positive) in SPELLINGS.items():
        root = _project(tmp_path_factory.mktemp(name) / "project", _frame(negative, positive))
        with pytest.MonkeyPatch.context() as patch:
            point_at_services(root, patch)
            patch.chdir(root)
            schema = ["schema", "--input", "data/raw/table.csv", "--target", "outcome", "--positive", positive]
            assert main(schema) == 0
{%- if cookiecutter.data_source != "csv" %}
            # Into the {{ cookiecutter.data_source }} source, which hands the labels back as it stores them.
            load_into_source(root, root / "data" / "raw" / "table.csv")
{%- endif %}
            assert main(["train"]) == 0
        roots[name] = root
    return roots


@pytest.mark.parametrize("name", list(SPELLINGS))
def test_the_labels_round_trip_into_predictions_as_written(
    name: str, trained: dict[str, Path], tmp_path: Path, monkeypatch, point_at_services: PointAtServices, capsys
) -> None:
    # given a model trained on a table whose target is spelled this way
    root = trained[name]
    point_at_services(root, monkeypatch)
    source, output = root / "data" / "raw" / "table.csv", tmp_path / "predictions.csv"

    # when every row is predicted
    assert main(["predict", "--input", str(source), "--output", str(output), "--probabilities"]) == 0

    # then the model was promoted, and the predictions use the data's spellings, nothing else
    assert len(list((root / "models" / "production").glob("v0001"))) == 1
    written = pd.read_csv(output, dtype=str, keep_default_na=False)
    assert set(written["prediction"]) == set(SPELLINGS[name])
    assert [f"probability_{label}" for label in SPELLINGS[name]] == list(written.columns[2:])
    schema_text = (root / CONFIG_DIR / "schema.yaml").read_text()
    negative, positive = SPELLINGS[name]
    assert f'classes: ["{negative}", "{positive}"]' in schema_text
    assert f'positive: "{positive}"' in schema_text


@pytest.mark.parametrize("name", list(SPELLINGS))
def test_evaluate_matches_the_labels_as_the_file_hands_them(
    name: str, trained: dict[str, Path], monkeypatch, point_at_services: PointAtServices, capsys
) -> None:
    # given a trained model (pandas reads a True/False or 1/0 column as booleans or numbers, not text)
    point_at_services(trained[name], monkeypatch)

    # when its own table is evaluated
    assert main(["evaluate", "--input", str(trained[name] / "data" / "raw" / "table.csv")]) == 0

    # then every label was recognised and scored
    assert '"f1"' in capsys.readouterr().out


@pytest.mark.parametrize(
    ("written", "classes", "positive"),
    [
        ("[True, False]", ("False", "True"), "True"),
        ("[yes, no]", ("no", "yes"), "yes"),
        ("[1, 0]", ("0", "1"), "1"),
        ('["M", "F"]', ("F", "M"), "M"),
    ],
)
def test_a_hand_written_unquoted_label_keeps_its_spelling(project: Path, written, classes, positive) -> None:
    # given a schema.yaml edited by hand, labels unquoted (YAML reads True and yes as booleans, 1 as a number)
    path = project / CONFIG_DIR / "schema.yaml"
    schema = yaml.safe_load(path.read_text())
    text = path.read_text()
    lines = [line for line in text.splitlines() if line.strip().startswith(("classes:", "positive:"))]
    text = text.replace(lines[0], f"  classes: {written}").replace(lines[1], f"  positive: {positive}")
    path.write_text(text)

    # when the settings are loaded
    loaded = load_settings(project).schema

    # then the labels are the text as written, the positive class last
    assert schema["target"]["column"] == loaded.target
    assert sorted(loaded.classes) == sorted(classes)
    assert loaded.positive_label == positive
    assert loaded.classes[-1] == positive


def test_positive_is_taken_as_written_or_in_another_case(project: Path, monkeypatch, capsys) -> None:
    # given a CSV file whose target pandas reads as booleans
    frame = _frame("False", "True")
    source = project / "data" / "raw" / "table.csv"
    frame.to_csv(source, index=False)
    monkeypatch.chdir(project)

    # when `schema` is given the positive class in lower case
    assert main(["schema", "--input", str(source), "--target", "outcome", "--positive", "false"]) == 0

    # then the class keeps the file's spelling
    target = yaml.safe_load((project / CONFIG_DIR / "schema.yaml").read_text())["target"]
    assert target == {"column": "outcome", "classes": ["False", "True"], "positive": "False"}


@pytest.mark.parametrize(
    ("classes", "handed", "expected"),
    [
        # a CSV read by pandas, a SQL table, a Parquet file with a gap, a text file written in capitals
        (("False", "True"), [True, False, 1, 0, 1.0, "TRUE", "false", np.bool_(True)], [1, 0, 1, 0, 1, 1, 0, 1]),
        (("0", "1"), [1, 0, 1.0, "1", True, False], [1, 0, 1, 1, 1, 0]),
        (("no", "yes"), ["yes", "no", True, "YES", 0], [1, 0, 1, 1, 0]),
        (("F", "M"), ["M", "F", "m"], [1, 0, 1]),
    ],
)
def test_what_a_source_hands_over_matches_the_schema_spelling(classes, handed, expected) -> None:
    # given labels as a data source may hand them: booleans, numbers, other cases
    values = pd.Series(handed, dtype=object)

    # when they are matched to the schema's classes
    matched, _ = match_labels(values, classes)

    # then each is the class it means, in the schema's spelling
    assert matched.tolist() == [classes[index] for index in expected]


def test_a_label_that_means_nothing_else_stays_unmatched() -> None:
    matched, text = match_labels(pd.Series(["maybe", "M", None], dtype=object), ("F", "M"))

    assert matched.isna().tolist() == [True, False, True]
    assert text.tolist()[:2] == ["maybe", "M"]
