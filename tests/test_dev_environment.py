"""What a developer of the generated project gets besides the code: one list of dev tools, a dev container,
dependency updates, and CI that installs exactly the locked versions."""

from __future__ import annotations

import json
import sys

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from tests.helpers import bake, run, tool


def dev_tools(project) -> set[str]:
    """The distribution names of the generated project's `dev` extra."""
    extras = tomllib.loads((project / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    return {name.split(">")[0].split("[")[0] for name in extras["dev"]}


def test_dev_tools_are_listed_once(default_project) -> None:
    requirements = [
        line
        for line in (default_project / "requirements-dev.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    assert requirements == ["-e .[dev]"]
    assert {"pytest", "ruff", "pre-commit"} <= dev_tools(default_project)


@pytest.mark.parametrize("python_version", ["3.11", "3.13"])
def test_dev_container_uses_the_projects_python_and_the_lock_file(cookies, python_version) -> None:
    project = bake(cookies, python_version=python_version, project_name='Quote "Project"')

    container = json.loads((project / ".devcontainer" / "devcontainer.json").read_text())

    assert container["name"] == 'Quote "Project"'
    assert f":1-{python_version}-" in container["image"]
    assert "python scripts/setup_venv.py" in container["postCreateCommand"]  # uv sync --locked, as its test shows


def test_dependabot_and_ci_install_from_the_lock(default_project) -> None:
    dependabot = default_project / ".github" / "dependabot.yml"
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot", dependabot], cwd=default_project)
    ecosystems = {update["package-ecosystem"] for update in yaml.safe_load(dependabot.read_text())["updates"]}

    assert ecosystems == {"uv", "github-actions", "docker"}
    assert "uv sync --locked --extra dev" in (default_project / ".github" / "workflows" / "ci.yml").read_text()


def test_ci_runs_the_pre_commit_hooks_and_zizmor_from_the_dev_tools(default_project, cookies) -> None:
    steps = yaml.safe_load((default_project / ".github" / "workflows" / "ci.yml").read_text())["jobs"]["test"]["steps"]
    commands = [step.get("run", "").strip() for step in steps]

    assert "pre-commit run --all-files --show-diff-on-failure" in commands
    assert "zizmor ." in commands
    assert {"pre-commit", "zizmor"} <= dev_tools(default_project)
    assert "zizmor" not in dev_tools(bake(cookies, ci_provider="none"))  # no workflow to audit
