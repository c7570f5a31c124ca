"""Fast checks of generated projects: the files, no template leftovers, code that compiles and lints clean."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import sys

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from tests.expected_files import EXPECTED_FILES, expected_files, optional_files
from tests.helpers import (
    DEFAULT_ANSWERS,
    DEFAULT_PACKAGE,
    DEFAULT_SLUG,
    OPTION_CHOICES,
    TEMPLATE_DIR,
    bake,
    generated_files,
    run,
    text_of,
    tool,
)

# `${{ ... }}` is a GitHub Actions expression that must survive generation; any other `{{` is a leftover.
TEMPLATE_MARKER = re.compile(r"(?<!\$)\{\{|\{%|\{#")

# Options a bake of the matrix leaves off (bake() answers no to both): test_hooks.py and the slow tier test them.
NOT_IN_MATRIX = {"create_venv", "init_git"}
# The combinations that matter, by hand: a package name of its own, and options that meet in the same files.
COMBINATIONS = {
    "package-sensor": {"project_name": "Pump Monitor", "package_name": "sensor"},
    "mongodb-s3": {"data_source": "mongodb", "artifact_storage": "s3"},
    "sql-s3": {"data_source": "sql", "artifact_storage": "s3"},
    "sql-s3-mlflow": {"data_source": "sql", "artifact_storage": "s3", "experiment_tracking": "mlflow"},
    "mongodb-s3-xgboost": {"data_source": "mongodb", "artifact_storage": "s3", "model_library": "xgboost"},
    "ci-none-no-docker-serving-none": {"ci_provider": "none", "include_docker": False, "serving": "none"},
}
# One bake per non-default value of every choice in cookiecutter.json (ids like `data_source-mongodb`,
# `include_docker-False`), so a new value is baked and checked as soon as it is offered; then the combinations.
OPTION_VALUES = {
    f"{option}-{value}": {option: value}
    for option, values in OPTION_CHOICES.items()
    if option not in NOT_IN_MATRIX
    for value in values[1:]
} | COMBINATIONS
LICENSE_WORDS = {
    "MIT": "MIT License",
    "BSD-3-Clause": "BSD 3-Clause License",
    "Apache-2.0": "Apache License, Version 2.0",
    "Proprietary": "All rights reserved",
}


def check_project(project, package_name, answers=None) -> None:
    """What every generated project must satisfy, whatever the answers."""
    assert generated_files(project) == expected_files(package_name, answers)
    for relative in generated_files(project):
        text = text_of(project / relative)
        if text is not None:
            assert not TEMPLATE_MARKER.search(text), f"template marker left in {relative}"
    run([sys.executable, "-m", "compileall", "-q", "."], cwd=project)
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=project)
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], cwd=project)
    for notebook in (project / "notebooks").glob("*.ipynb"):
        content = json.loads(notebook.read_text())
        assert content["nbformat"] == 4 and content["cells"], notebook.name
    check_deployment_files(project, {**DEFAULT_ANSWERS, **(answers or {})})


def check_deployment_files(project, answers) -> None:
    """Dockerfiles linted by hadolint, workflows and manifests validated against their schemas, compose services;
    zizmor finds nothing in the workflows, dependabot.yml and .pre-commit-config.yaml (pinned actions, no persisted
    credentials, least-privilege permissions, no template injection)."""
    dockerfiles = sorted((project / "docker").glob("Dockerfile.*"))
    if dockerfiles:
        run([tool("hadolint"), *dockerfiles], cwd=project)
    workflows = sorted((project / ".github" / "workflows").glob("*.yml"))
    for workflow in workflows:  # one file for every answer: "Use this template" keeps the template's copies
        assert workflow.read_bytes() == (TEMPLATE_DIR / ".github" / "workflows" / workflow.name).read_bytes()
    assert [workflow.name for workflow in workflows] == [
        name
        for name in ("cd.yml", "ci.yml")
        if answers["ci_provider"] == "github" and (answers["include_docker"] or name == "ci.yml")
    ]
    if workflows:
        expected_outputs = {
            "python-version": answers["python_version"],
            "data-source": answers["data_source"],
            "s3": str(answers["artifact_storage"] == "s3").lower(),
        }
        assert workflow_outputs(project, "ci.yml") == expected_outputs
    if len(workflows) == 2:
        images = ["train", "serve"] if answers["serving"] == "fastapi" else ["train"]
        assert workflow_outputs(project, "cd.yml") == {"images": json.dumps(images)}
    if workflows:
        run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows], cwd=project)
        for workflow in workflows:
            assert "${{ " in workflow.read_text() or workflow.name == "ci.yml", workflow.name
    audited = [name for name in (".github", ".pre-commit-config.yaml") if (project / name).exists()]
    run([tool("zizmor"), "--offline", *audited], cwd=project)
    manifests = sorted((project / "k8s").rglob("*.yaml"))
    if manifests:
        run([tool("kubernetes-validate"), "--strict", *manifests], cwd=project)
    compose = project / "docker" / "docker-compose.yml"
    if compose.exists():
        expected = {"train"}
        expected |= {"serve"} if answers["serving"] == "fastapi" else set()
        expected |= {"mongodb": {"mongo"}, "sql": {"postgres"}}.get(answers["data_source"], set())
        expected |= {"minio", "create-bucket"} if answers["artifact_storage"] == "s3" else set()
        expected |= {"mlflow"} if answers["experiment_tracking"] == "mlflow" else set()
        assert set(yaml.safe_load(compose.read_text())["services"]) == expected


def workflow_outputs(project, name) -> dict[str, str]:
    """What the first job of a workflow decides for this project: its Python script run here, outputs by name."""
    script = yaml.safe_load((project / ".github" / "workflows" / name).read_text())["jobs"]["answers"]["steps"][-1]
    body = script["run"].split("<<'PY'\n", 1)[1].rsplit("PY\n", 1)[0]
    lines = run([sys.executable, "-c", body], cwd=project).stdout.splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_default_project(default_project) -> None:
    assert default_project.name == DEFAULT_SLUG
    check_project(default_project, DEFAULT_PACKAGE)
    pyproject = tomllib.loads((default_project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.11"
    assert (default_project / "requirements.txt").read_text().strip().splitlines()[-1] == "-e ."
    assert "MIT License" in (default_project / "LICENSE").read_text()
    assert ".venv\\Scripts\\python -m sensor_fault_detection train" in (default_project / "README.md").read_text()
    assert "$(filter Windows_NT,$(OS)),.venv/Scripts/python" in (default_project / "Makefile").read_text()
    assert not (default_project / ".venv").exists()
    assert not (default_project / ".git").exists()


@pytest.mark.parametrize("answers", OPTION_VALUES.values(), ids=OPTION_VALUES.keys())
def test_each_option_value(cookies, answers) -> None:
    project = bake(cookies, **answers)

    package = answers.get("package_name", DEFAULT_PACKAGE)
    check_project(project, package, answers)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    chosen = {**DEFAULT_ANSWERS, **answers}
    assert pyproject["project"]["requires-python"] == ">=" + chosen["python_version"]
    assert LICENSE_WORDS[chosen["license"]] in (project / "LICENSE").read_text()
    assert f"python -m {package} train" in (project / "README.md").read_text()


@pytest.mark.parametrize(
    ("answers", "present", "absent"),
    [
        ({"data_source": "mongodb"}, ["MONGODB_URL", "pymongo"], ["DATABASE_URL", "sqlalchemy", "boto3"]),
        ({"data_source": "sql"}, ["DATABASE_URL", "sqlalchemy"], ["MONGODB_URL", "pymongo", "boto3"]),
        ({"artifact_storage": "s3"}, ["AWS_ACCESS_KEY_ID", "boto3", "bucket:"], ["MONGODB_URL", "sqlalchemy"]),
        ({"experiment_tracking": "mlflow"}, ["mlflow>=", "MLFLOW_TRACKING_URI"], ["boto3", "pymongo"]),
        ({}, ["sensor_sample.csv"], ["MONGODB_URL", "DATABASE_URL", "boto3", "pymongo", "bucket:", "mlflow>="]),
    ],
    ids=["mongodb", "sql", "s3", "mlflow", "default"],
)
def test_only_the_chosen_options_are_configured(cookies, answers, present, absent) -> None:
    project = bake(cookies, **answers)
    names = ["pyproject.toml", ".env.example", "config/config.yaml", "README.md"]
    names += sorted(path.relative_to(project).as_posix() for path in (project / "docs").glob("*.md"))
    text = "".join((project / name).read_text() for name in names)

    for word in present:
        assert word in text, word
    for word in absent:
        assert word not in text, word


@pytest.mark.parametrize(
    ("library", "dependency", "estimator"),
    [("scikit-learn", None, "random_forest"), ("lightgbm", "lightgbm", "lightgbm"), ("xgboost", "xgboost", "xgboost")],
)
def test_model_library_sets_the_estimator_and_only_its_dependency(cookies, library, dependency, estimator) -> None:
    project = bake(cookies, model_library=library)
    dependencies = tomllib.loads((project / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=\[]", item)[0] for item in dependencies}

    assert names & {"lightgbm", "xgboost"} == ({dependency} if dependency else set())
    assert yaml.safe_load((project / "config" / "model_config.yaml").read_text())["estimator"] == estimator


def test_free_text_with_quotes_stays_valid_toml(cookies) -> None:
    project = bake(cookies, description='Finds "bad" sensors \\ fast', author_name="O'Brien & Co")

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == 'Finds "bad" sensors \\ fast'
    assert pyproject["project"]["authors"][0]["name"] == "O'Brien & Co"


def test_free_text_with_quotes_stays_valid_python(cookies) -> None:
    # A description that ends with a quote closes a """docstring""" early; a name with one, a "string".
    project = bake(
        cookies,
        project_name='Pump "Monitor"',
        package_name="pump_monitor",
        description='Says which sensor is "stuck", and ends with a "quote"',
    )

    run([sys.executable, "-W", "error", "-m", "compileall", "-q", "."], cwd=project)


def test_characters_outside_the_bmp_stay_text(cookies) -> None:
    # `tojson` writes 🚀 as the surrogate pair \ud83d\ude80: TOML refuses it, so the install failed.
    project = bake(cookies, project_name="Sensor 🚀 fault", description="Finds 🚀 faults", author_name="Ann 🚀")

    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == "Finds 🚀 faults"
    assert pyproject["project"]["authors"][0]["name"] == "Ann 🚀"
    devcontainer = json.loads((project / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8"))
    assert devcontainer["name"] == "Sensor 🚀 fault"
    answers = (project / "sensor_fault" / "constants" / "answers.py").read_text(encoding="utf-8")
    namespace: dict[str, object] = {}
    exec(compile(answers, "answers.py", "exec"), namespace)
    assert (namespace["PROJECT_NAME"], namespace["DESCRIPTION"]) == ("Sensor 🚀 fault", "Finds 🚀 faults")
    written = [path for path in project.rglob("*") if path.is_file() and b"\\ud83d" in path.read_bytes()]
    assert not written, f"surrogate escapes in {written}"


def test_git_repository_with_one_clean_commit(cookies) -> None:
    project = bake(cookies, init_git=True)

    log = run(["git", "log", "--oneline"], cwd=project).stdout.splitlines()
    assert len(log) == 1
    assert run(["git", "status", "--porcelain"], cwd=project).stdout == ""
    assert run(["git", "branch", "--show-current"], cwd=project).stdout.strip() == "main"


def test_command_line_with_no_venv_and_no_git_works_offline(tmp_path) -> None:
    offline = {"PIP_NO_INDEX": "1", "UV_OFFLINE": "1"}
    env = {**os.environ, **offline}
    result = run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            TEMPLATE_DIR,
            "-o",
            tmp_path,
            "create_venv=no",
            "init_git=no",
        ],
        cwd=tmp_path,
        env=env,
    )

    project = tmp_path / DEFAULT_SLUG
    assert not (project / ".venv").exists()
    assert not (project / ".git").exists()
    venv_python = ".venv\\Scripts\\python" if os.name == "nt" else ".venv/bin/python"
    assert f"{venv_python} -m {DEFAULT_PACKAGE} train" in result.stdout


def test_each_entry_of_the_hooks_table_names_files_that_not_every_project_has() -> None:
    """Every entry of FILES_OF_OPTION, which the expected file sets are made from, holds files of the template (a
    moved file leaves no stale entry that prunes nothing: `template_files` refuses it), none of them in EXPECTED_FILES,
    which every project keeps."""
    assert not optional_files() & set(EXPECTED_FILES)


def test_files_copied_without_rendering_need_no_rendering() -> None:
    """Each `_copy_without_render` pattern names files without Jinja, and no folder: with -f cookiecutter deletes a
    copied folder (the user's files in it too) before copying it again. A file that gains Jinja leaves the list."""
    patterns = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())["_copy_without_render"]
    root = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
    paths = sorted(path.relative_to(root).as_posix() for path in root.rglob("*"))
    for pattern in patterns:
        matched = [path for path in paths if fnmatch.fnmatch(path, pattern)]
        assert matched, f"{pattern} matches no file of the template"
        for path in matched:
            assert (root / path).is_file(), f"{pattern} matches the folder {path}"
            text = text_of(root / path)
            assert text is None or not TEMPLATE_MARKER.search(text), f"{path} holds Jinja: take it off the list"


def test_every_file_without_jinja_is_copied_without_rendering() -> None:
    """Rendering is most of a bake's time: a file with nothing to render must be on the `_copy_without_render`
    list (the package imports itself relatively, so most of its modules need no rendering)."""
    patterns = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())["_copy_without_render"]
    root = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
    rendered_for_nothing = []
    for path in sorted(path for path in root.rglob("*") if path.is_file()):
        text = text_of(path)
        relative = path.relative_to(root).as_posix()
        needs_no_rendering = text is not None and not TEMPLATE_MARKER.search(text)
        if needs_no_rendering and not any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
            rendered_for_nothing.append(relative)
    assert not rendered_for_nothing, f"add to _copy_without_render in cookiecutter.json: {rendered_for_nothing}"


def test_template_code_is_formatted_and_lint_clean() -> None:
    """The template's own Python (hooks/, tests/, .github/*.py); pyproject.toml keeps the generated project out."""
    run([sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."], cwd=TEMPLATE_DIR)
    run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=TEMPLATE_DIR)


def test_hooks_are_fully_typed() -> None:
    """`mypy --strict` on the hooks (pyproject.toml's [tool.mypy]); no cache is written into the template."""
    result = run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", os.devnull, "hooks/"], cwd=TEMPLATE_DIR)
    assert "Success: no issues found" in result.stdout, result.stdout
