"""Your own data right after the Quickstart: a project with the sample's model in production is retargeted by
`schema` and `train` to another table, and nothing needs deleting or editing by hand. Each production version
keeps the schema it was trained with, so a new data contract starts from the trivial baselines."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine, make_classification
from sklearn.metrics import balanced_accuracy_score

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
{%- if cookiecutter.data_source != "csv" %}

from tests.conftest import load_into_source
{%- endif %}

SAMPLE = Path("data") / "raw" / "sensor_sample.csv"


def _wine(project: Path) -> tuple[Path, pd.DataFrame]:
    """Another table (other columns, three classes) in the project; every fifth row is kept back for `predict`."""
    frame = load_wine(as_frame=True).frame.rename(columns={"target": "cultivar"})
    held_out = frame.iloc[::5]
    data = project / "data" / "raw" / "wine.csv"
    frame.drop(index=held_out.index).to_csv(data, index=False)
    return data, held_out


def _retarget(project: Path, data: Path) -> None:
    assert main(["schema", "--input", str(data), "--target", "cultivar"]) == 0
{%- if cookiecutter.data_source != "csv" %}
    load_into_source(project, data)  # what a user of a {{ cookiecutter.data_source }} source does next
{%- endif %}


def test_a_new_table_after_the_quickstart_is_promoted_and_predicts(trained: Path, capsys, tmp_path: Path) -> None:
    data, held_out = _wine(trained)
    _retarget(trained, data)
    capsys.readouterr()

    assert main(["train"]) == 0

    printed = capsys.readouterr().out
    assert "promoted as v0002" in printed
    assert "the data contract changed since v0001 (target class -> cultivar" in printed
    features, predictions = tmp_path / "features.csv", tmp_path / "predictions.csv"
    held_out.drop(columns=["cultivar"]).to_csv(features, index=False)
    assert main(["predict", "--input", str(features), "--output", str(predictions)]) == 0
    predicted = pd.read_csv(predictions)["prediction"].astype(str)
    assert (predicted.to_numpy() == held_out["cultivar"].astype(str).to_numpy()).mean() >= 0.85
    capsys.readouterr()
    assert main(["models"]) == 0
    assert "(new: target class -> cultivar" in capsys.readouterr().out


def _imbalanced_wide() -> pd.DataFrame:
    """Many columns, one class in ten: the shape of a fault or fraud table."""
    features, labels = make_classification(
        n_samples=900, n_features=60, n_informative=8, weights=[0.9, 0.1], class_sep=1.5, random_state=5
    )
    frame = pd.DataFrame(features, columns=[f"x{index:02d}" for index in range(60)]).round(4)
    frame["fault"] = pd.Series(labels).map({0: "ok", 1: "fault"})
    return frame


def _breast_cancer_with_gaps() -> pd.DataFrame:
    """Binary, with a categorical column and gaps."""
    frame = load_breast_cancer(as_frame=True).frame.rename(columns={"target": "diagnosis"})
    frame["clinic"] = pd.Series(["north", "south", "east"] * 190)[: len(frame)].to_numpy()
    frame.loc[frame.index[::7], "mean radius"] = None
    frame.loc[frame.index[::11], "clinic"] = None
    return frame


TABLES = {
    "breast-cancer": (_breast_cancer_with_gaps, "diagnosis"),
    "wine": (lambda: load_wine(as_frame=True).frame.rename(columns={"target": "cultivar"}), "cultivar"),
    "imbalanced-wide": (_imbalanced_wide, "fault"),
}


def test_three_tables_in_turn_each_promote_and_predict_their_held_out_rows(trained: Path, tmp_path: Path) -> None:
    """After the Quickstart, three tables one after the other: each becomes the next version and predicts rows it
    never saw, with no file deleted or edited by hand."""
    for number, (name, (make, target)) in enumerate(TABLES.items(), start=2):
        frame = make()
        held_out = frame.iloc[::6]
        data = trained / "data" / "raw" / f"{name}.csv"
        frame.drop(index=held_out.index).to_csv(data, index=False)
        assert main(["schema", "--input", str(data), "--target", target]) == 0
{%- if cookiecutter.data_source != "csv" %}
        load_into_source(trained, data)
{%- endif %}

        assert main(["train"]) == 0

        assert (trained / "models" / "production" / "CURRENT").read_text().strip() == f"v{number:04d}", name
        features, predictions = tmp_path / f"{name}.csv", tmp_path / f"{name}-predicted.csv"
        held_out.drop(columns=[target]).to_csv(features, index=False)
        assert main(["predict", "--input", str(features), "--output", str(predictions)]) == 0
        predicted = pd.read_csv(predictions)["prediction"].astype(str).to_numpy()
        score = balanced_accuracy_score(held_out[target].astype(str).to_numpy(), predicted)
        assert score >= 0.8, f"{name}: balanced accuracy {score:.3f} on its held-out rows"


def test_the_new_version_keeps_its_schema_and_says_what_changed(trained: Path) -> None:
    data, _ = _wine(trained)
    _retarget(trained, data)

    assert main(["train"]) == 0

    settings = load_settings(trained)
    metadata = json.loads((trained / "models" / "production" / "v0002" / "metadata.json").read_text())
    assert metadata["data_schema"]["target"] == "cultivar"
    assert metadata["data_contract"] == settings.schema.contract
    assert "feature(s) added" in metadata["data_contract_change"]
    report = json.loads(next((trained / "artifacts").glob("*/model_evaluation/report.json")).read_text())
    assert report["production"] is None
    assert report["data_contract_change"] == metadata["data_contract_change"]


def test_a_schema_for_new_data_does_not_change_how_production_reads_its_input(trained: Path, tmp_path: Path) -> None:
    """schema.yaml now describes the wine table, but v0001 (the sample's model) is still in production: `predict`
    reads the sample's rows with v0001's own schema (its columns and its missing-value marker `na`)."""
    data, _ = _wine(trained)
    _retarget(trained, data)
    rows = pd.read_csv(trained / SAMPLE, dtype=str, keep_default_na=False).drop(columns=["class"]).head(50)
    features, predictions = tmp_path / "sample.csv", tmp_path / "predictions.csv"
    rows.to_csv(features, index=False)

    assert main(["predict", "--input", str(features), "--output", str(predictions)]) == 0

    assert set(pd.read_csv(predictions)["prediction"].astype(str)) <= {"neg", "pos"}
    assert load_settings(trained).schema.target == "cultivar"


def test_evaluate_uses_the_production_versions_schema(trained: Path, capsys) -> None:
    data, _ = _wine(trained)
    _retarget(trained, data)
    capsys.readouterr()

    assert main(["evaluate", "--input", str(trained / SAMPLE)]) == 0

    assert "f1" in json.loads(capsys.readouterr().out)


def test_a_new_split_is_never_scored_on_rows_production_trained_on(trained: Path, edit_config) -> None:
    """Another test_size moves rows production trained on into this run's test set: production is not scored there,
    the candidate is gated against the trivial baselines, and the version keeps the split it was tested on."""
    edit_config("test_size: 0.2", "test_size: 0.3")

    assert main(["train"]) == 0

    report = json.loads(next((trained / "artifacts").glob("*/model_evaluation/report.json")).read_text())
    assert report["production"] is None
    assert report["split_change"] == "test_size 0.2 -> 0.3"
    assert "the split changed since v0001 (test_size 0.2 -> 0.3)" in report["reason"]
    metadata = json.loads((trained / "models" / "production" / "v0001" / "metadata.json").read_text())
    assert metadata["split_settings"]["test_size"] == 0.2


def test_schema_on_the_sample_writes_the_shipped_config_again(project: Path) -> None:
    """The README's way back after trying other tables: `schema` on the sample gives back config.yaml and
    schema.yaml byte for byte, after a table of other classes and a measurement (which changed the metric)."""
    config = project / "config"
    shipped = {path.name: path.read_bytes() for path in config.glob("*.yaml")}
    for frame in (load_breast_cancer(as_frame=True).frame, load_diabetes(as_frame=True).frame):
        frame.to_csv(project / "data" / "raw" / "other.csv", index=False)
        assert main(["schema", "--input", str(project / "data" / "raw" / "other.csv"), "--target", "target"]) == 0
    assert (config / "schema.yaml").read_bytes() != shipped["schema.yaml"]

    assert main(["schema", "--input", str(project / SAMPLE), "--target", "class"]) == 0

    assert {path.name: path.read_bytes() for path in config.glob("*.yaml")} == shipped


def test_a_refused_schema_changes_no_file(project: Path) -> None:
    data, _ = _wine(project)
    config = project / "config"
    before = {path.name: path.read_bytes() for path in config.glob("*.yaml")}

    assert main(["schema", "--input", str(data), "--target", "no_such_column"]) == 2

    assert {path.name: path.read_bytes() for path in config.glob("*.yaml")} == before
{%- if cookiecutter.data_source == "csv" %}


def test_schema_writes_nothing_when_it_cannot_point_the_source_at_the_file(project: Path) -> None:
    """The schema would be fine, but config.yaml lost the line to point at the file: neither file changes."""
    data, _ = _wine(project)
    config = project / "config" / "config.yaml"
    config.write_text(config.read_text().replace("    path: data/raw/sensor_sample.csv\n", ""))
    before = {path.name: path.read_bytes() for path in config.parent.glob("*.yaml")}

    assert main(["schema", "--input", str(data), "--target", "cultivar"]) == 2

    assert {path.name: path.read_bytes() for path in config.parent.glob("*.yaml")} == before
{%- endif %}


def test_evaluate_says_when_the_file_holds_rows_the_model_trained_on(trained: Path, capsys) -> None:
    """The sample holds v0001's training rows: their metrics flatter it, so the held-out rows are scored apart."""
    capsys.readouterr()

    assert main(["evaluate", "--input", str(trained / SAMPLE)]) == 0

    printed = capsys.readouterr()
    metrics = json.loads(printed.out)
    assert metrics["rows_seen_in_training"] >= 0.5 * 3000
    assert metrics["held_out"]["f1"] < metrics["f1"]
    assert "rows the model trained on" in printed.err


def test_evaluate_on_rows_the_model_never_saw_reports_no_overlap(trained: Path, tmp_path: Path, capsys) -> None:
    rows = pd.read_csv(trained / SAMPLE, dtype=str, keep_default_na=False)
    rows = rows[rows["aa_000"] != "na"]  # every row below then differs from every row of the sample
    fresh = tmp_path / "fresh.csv"
    rows.assign(aa_000=pd.to_numeric(rows["aa_000"], errors="coerce") + 0.5).to_csv(fresh, index=False)
    capsys.readouterr()

    assert main(["evaluate", "--input", str(fresh)]) == 0

    metrics = json.loads(capsys.readouterr().out)
    assert "rows_seen_in_training" not in metrics
    assert "held_out" not in metrics
