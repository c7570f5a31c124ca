"""The post-generation hook in the situations users meet: odd answers, outer repositories, missing Pythons.

Each test here stays fast: where the hook starts an install, it is made to fail at once (offline) or to be
skipped (an interpreter that is not there), so what is checked is the hook's own behaviour.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from cookiecutter.main import cookiecutter

from tests.helpers import DEFAULT_SLUG, TEMPLATE_DIR, bake, run

# An install that fails within a second or two, whichever installer the hook picks.
OFFLINE = {"UV_OFFLINE": "1", "UV_NO_CACHE": "1", "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": ""}


def git(*arguments, cwd) -> str:
    return run(["git", *arguments], cwd=cwd).stdout


def test_answers_with_quotes_and_backslashes_reach_the_hooks_intact(cookies) -> None:
    project = bake(cookies, author_name="O'Brien", description="It's '''odd''' \\ \"quoted\"", init_git=True)

    assert git("log", "--format=%an", cwd=project).strip() == "O'Brien"


def test_blank_author_still_gets_a_first_commit(cookies) -> None:
    project = bake(cookies, author_name="", author_email="", init_git=True)

    assert len(git("log", "--oneline", cwd=project).splitlines()) == 1
    assert git("status", "--porcelain", cwd=project) == ""


def test_git_variables_of_an_outer_repository_are_ignored(cookies, tmp_path, monkeypatch) -> None:
    # As when the template's tests run from a git hook: git has pointed GIT_DIR and GIT_INDEX_FILE elsewhere.
    outer = tmp_path / "outer"
    git("init", "--quiet", str(outer), cwd=tmp_path)
    monkeypatch.setenv("GIT_DIR", str(outer / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(outer / ".git" / "index"))

    project = bake(cookies, init_git=True)

    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_INDEX_FILE")
    assert len(git("log", "--oneline", cwd=project).splitlines()) == 1
    assert git("status", "--porcelain", cwd=project) == ""
    assert not (outer / ".git" / "index").exists()


def test_project_inside_a_repository_gets_no_repository_of_its_own(tmp_path, capfd) -> None:
    outer = tmp_path / "monorepo"
    git("init", "--quiet", str(outer), cwd=tmp_path)

    cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=str(outer),
                 extra_context={"create_venv": False, "init_git": True})

    assert not (outer / DEFAULT_SLUG / ".git").exists()
    assert "already inside a git repository" in capfd.readouterr().out
    assert run(["git", "rev-parse", "--verify", "HEAD"], cwd=outer, expect=None).returncode != 0


def test_failed_install_with_a_bad_timeout_value_keeps_the_project(cookies, monkeypatch, capfd) -> None:
    for name, value in {**OFFLINE, "MLOPS_TEMPLATE_INSTALL_TIMEOUT": "ten minutes"}.items():
        monkeypatch.setenv(name, value)

    project = bake(cookies, create_venv=True)

    out = capfd.readouterr().out
    assert "MLOPS_TEMPLATE_INSTALL_TIMEOUT='ten minutes' is not a number of seconds" in out
    assert f"to retry: cd {DEFAULT_SLUG} && " in out, out[-3000:]
    assert (project / "pyproject.toml").is_file()
    assert not (project / ".venv").exists()


def missing_newer_python() -> str | None:
    """An offered python_version newer than this one that the hook cannot find, if there is one here."""
    uv = shutil.which("uv", path=os.path.dirname(sys.executable)) or shutil.which("uv")
    for version in ("3.13", "3.12", "3.11"):
        if tuple(map(int, version.split("."))) <= sys.version_info[:2]:
            continue
        probe = [uv, "python", "find", "--system", version] if uv else [f"python{version}", "--version"]
        env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
        try:
            found = subprocess.run(probe, capture_output=True, env=env, timeout=60).returncode == 0
        except OSError:
            found = False
        if not found:
            return version
    return None


def test_python_older_than_asked_is_not_used(cookies, capfd) -> None:
    version = missing_newer_python()
    if version is None:
        pytest.skip("every offered Python newer than this one is installed here")

    project = bake(cookies, create_venv=True, python_version=version)

    out = capfd.readouterr().out
    assert f"Python {version} is not installed" in out
    assert f"to retry once it is installed: cd {DEFAULT_SLUG} && " in out
    assert not (project / ".venv").exists()
