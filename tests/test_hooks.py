"""The hooks: their functions called directly (both modules import unrendered), and the post-generation hook in
the situations users meet: odd answers, outer repositories, missing Pythons, a project generated again with -f.

Each test here stays fast: where the hook starts an install, it is made to fail at once (offline) or to be
skipped (an interpreter that is not there), so what is checked is the hook's own behaviour.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from cookiecutter.main import cookiecutter

from tests.helpers import DEFAULT_PACKAGE, DEFAULT_SLUG, TEMPLATE_DIR, bake, load_hook, run

pre_gen = load_hook("pre_gen_project")
post_gen = load_hook("post_gen_project")
DEFAULTS = {
    key: value[0] if isinstance(value, list) else value
    for key, value in json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text()).items()
    if not key.startswith("_")
} | {"project_slug": DEFAULT_SLUG, "package_name": DEFAULT_PACKAGE}


def test_default_answers_have_no_problem() -> None:
    assert pre_gen.problems(DEFAULTS) == []


@pytest.mark.parametrize(
    ("answers", "line"),
    [
        ({"package_name": "tests"}, "package_name 'tests' clashes with the project's own tests package"),
        ({"package_name": "setup"}, "package_name 'setup' clashes with the project's setup.py"),
        ({"package_name": "json"}, "package_name 'json' shadows the standard library module json"),
        ({"author_name": "Ada\nLovelace"}, "author_name holds a line break or another control character"),
        ({"description": "two\rlines"}, "description holds a line break or another control character"),
        ({"author_email": "a\x01b@example.com"}, "author_email holds a line break or another control character"),
        ({"project_name": "n" * 101}, "project_name is 101 characters long; answer one of at most 100"),
        ({"project_slug": "s" * 51, "package_name": "s"}, "project_slug is 51 characters long"),
        ({"package_name": "p" * 51}, "package_name is 51 characters long"),
    ],
    ids=[
        "tests",
        "setup",
        "json",
        "newline-author",
        "cr-description",
        "control-email",
        "long-name",
        "long-slug",
        "long-package",
    ],
)
def test_each_problem_is_one_line_that_names_it(answers, line) -> None:
    found = pre_gen.problems({**DEFAULTS, **answers})

    assert len(found) == 1 and found[0].startswith(line), found
    assert "\n" not in found[0]


def test_reading_the_answers_needs_the_rendered_hook() -> None:
    with pytest.raises(json.JSONDecodeError):
        post_gen.read_answers()


def make_template(root):
    """A template folder with one option folder, as the hook finds it through `_repo_dir`."""
    api = root / post_gen.TEMPLATE_FOLDER / post_gen.PACKAGE_FOLDER / "api"
    (api / "routes").mkdir(parents=True)
    for name in ("__init__.py", "app.py", "routes/__init__.py"):
        (api / name).write_text("")
    (root / post_gen.TEMPLATE_FOLDER / "tests" / "test_api").mkdir(parents=True)
    (root / post_gen.TEMPLATE_FOLDER / "tests" / "test_api" / "test_app.py").write_text("")
    return root / post_gen.TEMPLATE_FOLDER


def make_project(root, *files):
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("")
    return root


def test_prune_removes_only_what_the_template_made(tmp_path) -> None:
    template = make_template(tmp_path / "template")
    made = ["pkg/api/__init__.py", "pkg/api/app.py", "pkg/api/routes/__init__.py", "tests/test_api/test_app.py"]
    project = make_project(tmp_path / "project", *made, "pkg/api/mine.py", "scripts/load_test.py")

    post_gen.prune(project, {**DEFAULTS, "package_name": "pkg", "serving": "none"}, template)

    assert not (project / "pkg/api/app.py").exists() and not (project / "scripts/load_test.py").exists()
    assert (project / "pkg/api/mine.py").is_file()
    assert not (project / "pkg/api/routes").exists() and not (project / "tests/test_api").exists()


def test_prune_without_the_template_removes_whole_folders(tmp_path) -> None:
    project = make_project(tmp_path / "project", "pkg/api/app.py", "pkg/cli.py")

    post_gen.prune(project, {**DEFAULTS, "package_name": "pkg", "serving": "none"}, None)

    assert not (project / "pkg/api").exists() and (project / "pkg/cli.py").is_file()


def test_prune_keeps_a_file_shared_by_several_values(tmp_path) -> None:
    project = make_project(tmp_path / "project", "scripts/load_data.py")

    post_gen.prune(project, {**DEFAULTS, "data_source": "sql"}, None)
    assert (project / "scripts/load_data.py").is_file()
    post_gen.prune(project, {**DEFAULTS, "data_source": "csv"}, None)
    assert not (project / "scripts/load_data.py").exists()


@pytest.mark.parametrize(
    ("windows", "setup"),
    [(False, "python3 scripts/setup_venv.py"), (True, "py scripts\\setup_venv.py")],
    ids=["posix", "windows"],
)
def test_commands_shown_are_the_platforms_own(windows, setup) -> None:
    answers = {**DEFAULTS, "python_version": "3.12", "create_venv": False}

    steps = post_gen.next_steps(answers, "my-project", windows, retry=None)

    python = ".venv\\Scripts\\python" if windows else ".venv/bin/python"
    activate = ".venv\\Scripts\\activate" if windows else "source .venv/bin/activate"
    assert steps[:4] == ["cd my-project", setup, f"{python} -m {DEFAULT_PACKAGE} train", f"{python} -m pytest"]
    assert activate in steps[4]


def test_paths_with_spaces_are_quoted_for_the_platforms_shell() -> None:
    assert post_gen.shown(["cd", "C:\\My Projects\\x"], windows=True) == 'cd "C:\\My Projects\\x"'
    assert post_gen.shown(["cd", "/my projects/x"], windows=False) == "cd '/my projects/x'"


def test_generating_again_with_serving_none_keeps_the_users_own_api_files(tmp_path) -> None:
    answers = {"create_venv": False, "init_git": False}
    project = tmp_path / DEFAULT_SLUG
    cookiecutter(str(TEMPLATE_DIR), no_input=True, output_dir=str(tmp_path), extra_context=answers)
    (project / DEFAULT_PACKAGE / "api" / "auth.py").write_text("# mine\n")

    cookiecutter(
        str(TEMPLATE_DIR),
        no_input=True,
        output_dir=str(tmp_path),
        overwrite_if_exists=True,
        extra_context={**answers, "serving": "none"},
    )

    assert [path.name for path in (project / DEFAULT_PACKAGE / "api").iterdir()] == ["auth.py"]
    assert not (project / "tests" / "test_api").exists()


def test_generating_again_from_a_relative_template_path_keeps_the_users_files(tmp_path) -> None:
    run(
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
    )
    (tmp_path / DEFAULT_SLUG / DEFAULT_PACKAGE / "api" / "auth.py").write_text("# mine\n")

    relative = os.path.relpath(TEMPLATE_DIR, tmp_path)
    run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            "-f",
            relative,
            "create_venv=no",
            "init_git=no",
            "serving=none",
        ],
        cwd=tmp_path,
        env={**os.environ, "PWD": str(tmp_path)},
    )

    assert [path.name for path in (tmp_path / DEFAULT_SLUG / DEFAULT_PACKAGE / "api").iterdir()] == ["auth.py"]


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

    cookiecutter(
        str(TEMPLATE_DIR), no_input=True, output_dir=str(outer), extra_context={"create_venv": False, "init_git": True}
    )

    assert not (outer / DEFAULT_SLUG / ".git").exists()
    assert "already inside a git repository" in capfd.readouterr().out
    assert run(["git", "rev-parse", "--verify", "HEAD"], cwd=outer, expect=None).returncode != 0


def test_failed_install_with_a_bad_timeout_value_keeps_the_project(cookies, monkeypatch, capfd) -> None:
    for name, value in {**OFFLINE, "MLOPS_TEMPLATE_INSTALL_TIMEOUT": "ten minutes"}.items():
        monkeypatch.setenv(name, value)

    project = bake(cookies, create_venv=True)

    out = capfd.readouterr().out
    assert "MLOPS_TEMPLATE_INSTALL_TIMEOUT='ten minutes' is not a number of seconds" in out
    assert f"to retry: cd {project} && " in out, out[-3000:]
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
    assert f"Python {version} is not installed; install it first" in out
    assert f"to retry: cd {project} && " in out
    assert not (project / ".venv").exists()


TEMPLATE_VERSION = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())["_template_version"]


def _template_answers_module(tmp_path, package: str):
    """A project folder holding the template's constants/answers.py and pyproject.toml, as a bake copies them."""
    source = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"
    (tmp_path / package / "constants").mkdir(parents=True)
    shutil.copy(source / "{{cookiecutter.package_name}}" / "constants" / "answers.py", tmp_path / package / "constants")
    shutil.copy(source / "pyproject.toml", tmp_path)
    return tmp_path / package / "constants" / "answers.py"


def test_the_template_answers_module_holds_the_default_answers(tmp_path) -> None:
    """The package in the template imports with the default answers, so the hook changes nothing for them."""
    module = _template_answers_module(tmp_path, DEFAULT_PACKAGE)
    before = module.read_text()

    post_gen.write_answers(tmp_path, {**DEFAULTS, "_template_version": TEMPLATE_VERSION})

    assert module.read_text() == before


def test_answers_module_takes_any_text_and_mypy_gets_the_same_flags(tmp_path) -> None:
    answers = {**DEFAULTS, "_template_version": TEMPLATE_VERSION, "package_name": "pump", "project_slug": "pump"}
    answers |= {"data_source": "sql", "serving": "none"}
    answers["description"] = 'Finds "stuck" pumps \\ fast, it\'s 🚰 "Éa"'
    module = _template_answers_module(tmp_path, "pump")

    post_gen.write_answers(tmp_path, answers)

    values: dict[str, object] = {}
    exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), values)
    assert values["DESCRIPTION"] == answers["description"]
    assert (values["PACKAGE_NAME"], values["SQL_SOURCE"], values["CSV_SOURCE"]) == ("pump", True, False)
    assert (values["FASTAPI_SERVING"], values["S3_STORAGE"]) == (False, False)
    mypy = (tmp_path / "pyproject.toml").read_text()
    assert 'always_true = ["SQL_SOURCE"]' in mypy
    assert '"CSV_SOURCE", "FASTAPI_SERVING"' in mypy
    assert set(post_gen.FLAGS) == {name for name, value in values.items() if isinstance(value, bool)}
