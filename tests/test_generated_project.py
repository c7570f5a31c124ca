"""The real test: generate projects through the command line, let the hook install them, run them."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import tomllib

from tests.helpers import (
    DEFAULT_PACKAGE,
    TEMPLATE_DIR,
    Block,
    assert_suite_passed,
    assert_type_checks,
    generate,
    run,
    run_blocks,
    runnable_blocks,
)
from tests.servers import free_port, project_server

pytestmark = pytest.mark.slow
SAMPLE = Path("data") / "raw" / "sensor_sample.csv"


BOUNDARY = "template-test-boundary"


def call(url: str, body=None, content_type: str = "application/json", token: str | None = None):
    """One HTTP request to the server under test; returns the status and the JSON body, 4xx included."""
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    request.add_header("content-type", content_type)
    if token:
        request.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wait_for_json(url: str, seconds: float):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return call(url)[1]
        except (urllib.error.URLError, ConnectionError):
            assert time.monotonic() < deadline, f"{url} did not answer within {seconds} s"
            time.sleep(0.5)


def multipart_type() -> str:
    return f"multipart/form-data; boundary={BOUNDARY}"


def multipart(filename: str, content: bytes) -> bytes:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{BOUNDARY}--\r\n".encode()


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

    assert "[mlops-template] installed" in result.stdout, result.stdout
    location = run([python, "-c", f"import {DEFAULT_PACKAGE}; print({DEFAULT_PACKAGE}.__file__)"], cwd="/").stdout
    assert Path(location.strip()).resolve().is_relative_to(project.resolve())
    assert run(["git", "log", "--oneline"], cwd=project).stdout.count("\n") == 1
    assert run(["git", "status", "--porcelain"], cwd=project).stdout == ""


def test_hook_locks_the_dependencies_and_commits_the_lock(installed) -> None:
    result, project, python = installed

    assert "running: uv sync --locked --extra dev" in result.stdout, result.stdout
    assert "uv.lock" in run(["git", "ls-files"], cwd=project).stdout.split()
    lock = (project / "uv.lock").read_text()
    installed_sklearn = run([python, "-c", "import sklearn; print(sklearn.__version__)"], cwd=project).stdout.strip()
    assert f'name = "scikit-learn"\nversion = "{installed_sklearn}"' in lock


# Every code cell of a notebook, in order, as one script: what "Run all" does, without a Jupyter kernel.
RUN_NOTEBOOK = """
import json, sys
cells = json.load(open(sys.argv[1], encoding="utf-8"))["cells"]
code = "\\n\\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")
exec(compile(code, sys.argv[1], "exec"))
"""


def test_notebooks_run_top_to_bottom_on_the_package(installed) -> None:
    _, project, python = installed

    for notebook in sorted((project / "notebooks").glob("*.ipynb")):
        code = "".join("".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"])
        assert f"from {DEFAULT_PACKAGE}." in code, f"{notebook.name} does not use the package"
        run([python, "-c", RUN_NOTEBOOK, notebook.name], cwd=project / "notebooks", timeout=300)


def test_generated_test_suite_passes_with_its_coverage_floor(installed) -> None:
    """The generated CI's test command: the whole suite, and the coverage floor of its pyproject.toml."""
    _, project, python = installed
    floor = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["coverage"]["report"]["fail_under"]

    result = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--cov"], cwd=project, timeout=2400)

    assert_suite_passed(result, minimum=40)
    assert f"Required test coverage of {float(floor)}% reached" in result.stdout, result.stdout[-2000:]


def test_generated_package_type_checks(installed) -> None:
    _, project, _ = installed

    assert_type_checks(project)


def test_pre_commit_hooks_pass_on_every_file_without_an_activated_venv(installed, tmp_path) -> None:
    """What a commit runs after `.venv/bin/pre-commit install`: the hooks take their tools from .venv, not PATH."""
    _, project, _ = installed
    assert (project / "k8s" / "spark" / "job-predict.yaml").read_text().count("\n---\n") >= 2  # multi-document
    git_only = {
        **os.environ,
        "PATH": os.path.dirname(shutil.which("git")),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
    }

    result = run([project / ".venv" / "bin" / "pre-commit", "run", "--all-files"], cwd=project, env=git_only)

    for hook in ("ruff check", "ruff format", "YAML files parse", "mypy"):
        assert re.search(rf"^{hook}\b.*Passed$", result.stdout, re.MULTILINE), result.stdout


# Libraries of options a default project does not install: their objects are Any when the template's sources, with
# every option's modules and branches, are type-checked in the default project's environment.
OTHER_OPTIONS_LIBRARIES = ["sqlalchemy.*", "pymongo.*", "mongomock.*", "boto3.*", "botocore.*", "moto.*", "mlflow.*"]
OTHER_OPTIONS_LIBRARIES += ["lightgbm.*", "xgboost.*", "onnxmltools.*"]


def test_template_package_sources_type_check_as_they_stand(installed, tmp_path) -> None:
    """The package in the template repository, every option's files present and no branch skipped, is checked by
    the generated project's strict mypy settings: plain Python, not Jinja, so it needs no rendering first."""
    _, project, python = installed
    settings = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["mypy"]
    overrides = [*settings.get("overrides", []), {"module": OTHER_OPTIONS_LIBRARIES, "ignore_missing_imports": True}]
    lines = [f"python_version = {json.dumps(settings['python_version'])}", "strict = true"]
    lines += [f"plugins = {json.dumps(settings['plugins'])}"]
    for override in overrides:
        lines += [
            "[[tool.mypy.overrides]]",
            f"module = {json.dumps(override['module'])}",
            "ignore_missing_imports = true",
        ]
    # Without MLflow's types its classes and results are Any; the mlflow bake's own mypy run checks these two strictly.
    mlflow_modules = [f"{DEFAULT_PACKAGE}.tracking.mlflow_tracker", f"{DEFAULT_PACKAGE}.tracking.pyfunc_model"]
    lines += ["[[tool.mypy.overrides]]", f"module = {json.dumps(mlflow_modules)}"]
    lines += ["disallow_subclassing_any = false", "warn_return_any = false", "warn_unused_ignores = false"]
    (tmp_path / "mypy.toml").write_text("[tool.mypy]\n" + "\n".join(lines) + "\n")
    (tmp_path / DEFAULT_PACKAGE).symlink_to(
        TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "{{cookiecutter.package_name}}"
    )

    result = run(
        [python, "-m", "mypy", "--config-file", "mypy.toml", "--cache-dir", tmp_path / "cache", "-p", DEFAULT_PACKAGE],
        cwd=tmp_path,
        timeout=900,
    )

    assert "Success: no issues found" in result.stdout, result.stdout[-4000:]


def forget_runs(project: Path) -> None:
    """Start a test from a project that has never trained, whatever other tests did to the shared install."""
    for folder in ("artifacts", "models/experiments", "models/production"):
        for entry in (project / folder).glob("*"):
            if entry.name != ".gitkeep":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def test_train_twice_then_predict(installed, tmp_path) -> None:
    _, project, python = installed
    forget_runs(project)
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


# Lines of the runnable blocks that other tests of this module run on the same project, here only checked to start:
# the whole suite (test_generated_test_suite_passes_with_its_coverage_floor, its coverage included) and mypy
# (test_generated_package_type_checks).
RUN_ELSEWHERE = {
    ".venv/bin/python -m pytest": ".venv/bin/python -m pytest --collect-only -q",
    "make test": "make -n test",
    "make coverage": "make -n coverage",
    "make typecheck": "make -n typecheck",
}
DOCS_LINK = re.compile(r"\]\((docs/[\w-]+\.md)\)")


def as_run_here(line: str, port: int) -> str:
    """A runnable line as this test runs it: RUN_ELSEWHERE, and the server's port 8000 on a free port."""
    command = line.split("#", 1)[0].strip()
    line = RUN_ELSEWHERE.get(command, line)
    return re.sub(r"(?<=127\.0\.0\.1:)8000\b|(?<=--port )8000\b", str(port), line)


def test_readme_and_docs_runnable_blocks_run_as_written(installed) -> None:
    """The README's runnable blocks, then those of each docs page in the order the README links them, in one shell
    started where the project was generated (the Quickstart's `cd` enters it), each block's shown output checked."""
    _, project, _ = installed
    forget_runs(project)
    port = free_port()
    pages = ["README.md", *dict.fromkeys(DOCS_LINK.findall((project / "README.md").read_text()))]
    blocks = [
        Block(block.info, [as_run_here(line, port) for line in block.lines], block.output)
        for page in pages
        for block in runnable_blocks(project / page)
    ]
    assert len(blocks) >= 4, [page for page in pages if runnable_blocks(project / page)]

    try:
        outputs = run_blocks(blocks, cwd=project.parent)
    finally:
        run([project / ".venv" / "bin" / "pre-commit", "uninstall"], cwd=project)  # docs/development.md installs it
        for log in (project / "logs").glob("scored_features.jsonl*"):  # docs/serving.md's feature log
            log.unlink()

    assert ".venv already exists: leaving it alone" in outputs[0], outputs[0]
    assert (project / "predictions.csv").is_file()
    assert run(["git", "status", "--porcelain"], cwd=project).stdout == ""  # what the blocks write is ignored


@pytest.fixture
def without_uv(tmp_path):
    """A Python that runs cookiecutter but has no uv beside it, and an environment whose PATH has no uv.

    The hook looks for uv next to the running Python first, so hiding it from PATH alone is not enough.
    The runner borrows this environment's packages (cookiecutter) through a .pth file.
    """
    runner = tmp_path / "runner"
    run([sys.executable, "-m", "venv", "--without-pip", runner], cwd=tmp_path)
    runner_site = Path(
        run(
            [runner / "bin" / "python", "-c", "import site; print(site.getsitepackages()[0])"], cwd=tmp_path
        ).stdout.strip()
    )
    (runner_site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "git").symlink_to(shutil.which("git"))
    path = os.pathsep.join([str(tools), "/usr/bin", "/bin"])
    assert shutil.which("uv", path=path) is None
    return runner / "bin" / "python", {**os.environ, "PATH": path}


def test_install_with_pip_when_uv_is_absent(without_uv, tmp_path) -> None:
    python, env = without_uv

    result, project = generate(tmp_path / "out", "init_git=no", env=env, python=python)

    assert "with pip" in result.stdout and "[mlops-template] installed" in result.stdout, result.stdout[-3000:]
    trained = run([project / ".venv" / "bin" / "python", "-m", DEFAULT_PACKAGE, "train"], cwd=project)
    assert "promoted as v0001" in trained.stdout


def test_failed_install_keeps_the_project_and_says_how_to_retry(tmp_path) -> None:
    offline = {**os.environ, "UV_OFFLINE": "1", "UV_NO_CACHE": "1"}

    result, project = generate(tmp_path, "init_git=no", env=offline)

    assert (project / DEFAULT_PACKAGE / "cli.py").is_file()
    assert not (project / ".venv").exists()
    assert f"to retry: cd {project} && python3 scripts/setup_venv.py" in result.stdout, result.stdout[-3000:]


def test_failed_pip_install_keeps_the_project_and_says_how_to_retry(without_uv, tmp_path) -> None:
    python, env = without_uv
    offline = {**env, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": ""}

    result, project = generate(tmp_path / "out", "init_git=no", env=offline, python=python)

    assert (project / DEFAULT_PACKAGE / "cli.py").is_file()
    assert not (project / ".venv").exists()
    assert "running: .venv/bin/python -m pip install -r requirements-dev.txt" in result.stdout, result.stdout[-3000:]
    assert f"to retry: cd {project} && python3 scripts/setup_venv.py" in result.stdout


def test_server_answers_every_endpoint(installed, tmp_path) -> None:
    _, project, python = installed
    forget_runs(project)
    run([python, "-m", DEFAULT_PACKAGE, "train"], cwd=project)
    token = "token-for-the-test"
    env = {**os.environ, f"{DEFAULT_PACKAGE.upper()}_TRAIN_TOKEN": token}
    with project_server(python, project, env) as server:
        base = server.base
        health = wait_for_json(f"{base}/health", seconds=60)
        assert health["model_loaded"] is True and health["model_version"] == "v0001"
        assert call(f"{base}/model")[1]["version"] == "v0001"

        records = [{k: v for k, v in row.items() if k != "class"} for row in read_rows(project / SAMPLE)[:3]]
        status, body = call(f"{base}/predict", {"records": records})
        assert status == 200 and len(body["predictions"]) == 3
        status, body = call(f"{base}/predict", {"records": [{"aa_000": "1"}]})
        assert status == 422 and "missing required columns" in body["detail"]
        status, body = call(f"{base}/predict", b"{broken")
        assert status == 422

        csv_rows = "\n".join((project / SAMPLE).read_text().splitlines()[:6]).encode()
        status, body = call(f"{base}/predict/csv", multipart("rows.csv", csv_rows), multipart_type())
        assert status == 200 and len(body["predictions"]) == 5

        assert call(f"{base}/train", b"", token=None)[0] == 401
        status, started = call(f"{base}/train", b"", token=token)
        assert status == 202
        deadline = time.monotonic() + 120
        while (result := call(base + started["status_url"], token=token)[1])["status"] == "running":
            assert time.monotonic() < deadline
            time.sleep(0.5)
        assert result["status"] == "succeeded" and result["promoted"] is False
    assert "Traceback" not in server.output, server.output[-3000:]
