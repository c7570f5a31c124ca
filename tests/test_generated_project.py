"""The real test: generate projects through the command line, let the hook install them, run them."""

from __future__ import annotations

import csv
import os
import shutil
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.helpers import DEFAULT_PACKAGE, DEFAULT_SLUG, TEMPLATE_DIR, generate, run

pytestmark = pytest.mark.slow
SAMPLE = Path("data") / "raw" / "sensor_sample.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def installed(installed_project):
    """The default project, with .venv created and the project installed by the post-generation hook."""
    result, project = installed_project()
    return result, project, project / ".venv" / "bin" / "python"


def test_hook_installs_the_project_in_editable_mode(installed) -> None:
    result, project, python = installed

    assert "installed in" in result.stdout, result.stdout
    location = run([python, "-c", f"import {DEFAULT_PACKAGE}; print({DEFAULT_PACKAGE}.__file__)"], cwd="/").stdout
    assert Path(location.strip()).resolve().is_relative_to(project.resolve())
    assert run(["git", "log", "--oneline"], cwd=project).stdout.count("\n") == 1
    assert run(["git", "status", "--porcelain"], cwd=project).stdout == ""


def test_generated_test_suite_passes(installed) -> None:
    _, project, python = installed

    result = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project, timeout=600)

    assert " passed" in result.stdout and " failed" not in result.stdout, result.stdout[-2000:]


def test_train_twice_then_predict(installed, tmp_path) -> None:
    _, project, python = installed
    cli = [python, "-m", DEFAULT_PACKAGE]

    first = run([*cli, "train"], cwd=project)
    assert "promoted as v0001" in first.stdout, first.stdout + first.stderr
    second = run([*cli, "train"], cwd=project)
    assert "not promoted" in second.stdout, second.stdout + second.stderr
    assert (project / "models" / "production" / "CURRENT").read_text().strip() == "v0001"
    assert not (project / "models" / "production" / "v0002").exists()

    output = tmp_path / "predictions.csv"
    run([*cli, "predict", "--input", project / SAMPLE, "--output", output], cwd=tmp_path)
    predictions = read_rows(output)
    sample = read_rows(project / SAMPLE)
    assert len(predictions) == len(sample)
    assert {row["prediction"] for row in predictions} == {"pos", "neg"}
    assert all(0 <= float(row["probability"]) <= 1 for row in predictions)

    broken = tmp_path / "broken.csv"
    write_rows(broken, [{k: v for k, v in row.items() if k not in {"aa_000", "ag_001"}} for row in sample])
    refused = run([*cli, "predict", "--input", broken, "--output", tmp_path / "no.csv"], cwd=tmp_path, expect=2)
    assert "aa_000" in refused.stderr and "ag_001" in refused.stderr


def test_install_with_pip_when_uv_is_absent(tmp_path) -> None:
    # A Python that can run cookiecutter (borrowing this environment's packages) but has no uv beside it,
    # and a PATH that holds git and nothing with uv in it.
    runner = tmp_path / "runner"
    run([sys.executable, "-m", "venv", "--without-pip", runner], cwd=tmp_path)
    runner_site = Path(run([runner / "bin" / "python", "-c", "import site; print(site.getsitepackages()[0])"],
                           cwd=tmp_path).stdout.strip())
    (runner_site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "git").symlink_to(shutil.which("git"))
    path = os.pathsep.join([str(tools), "/usr/bin", "/bin"])
    assert shutil.which("uv", path=path) is None
    env = {**os.environ, "PATH": path}
    output_dir = tmp_path / "out"
    output_dir.mkdir()

    result = run(
        [runner / "bin" / "python", "-m", "cookiecutter", "--no-input", TEMPLATE_DIR, "-o", output_dir,
         "init_git=no"],
        cwd=output_dir,
        env=env,
        timeout=1200,
    )

    assert "with pip" in result.stdout and "installed in" in result.stdout, result.stdout[-3000:]
    project = output_dir / DEFAULT_SLUG
    trained = run([project / ".venv" / "bin" / "python", "-m", DEFAULT_PACKAGE, "train"], cwd=project)
    assert "promoted as v0001" in trained.stdout


def test_failed_install_keeps_the_project_and_says_how_to_retry(tmp_path) -> None:
    offline = {**os.environ, "UV_OFFLINE": "1", "UV_NO_CACHE": "1"}

    result, project = generate(tmp_path, "init_git=no", env=offline)

    assert (project / DEFAULT_PACKAGE / "cli.py").is_file()
    assert not (project / ".venv").exists()
    assert "to retry: cd sensor-fault-detection && uv venv" in result.stdout, result.stdout[-3000:]
    assert "uv pip install --python .venv/bin/python -r requirements-dev.txt" in result.stdout
