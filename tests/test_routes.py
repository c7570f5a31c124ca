"""Every way people get the template: a local path, a git URL at a tag, --replay, cruft create/check/update."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from tests.helpers import DEFAULT_SLUG, OPTION_CHOICES, TEMPLATE_DIR, generated_files, run, tool
from tests.test_bake import OPTION_VALUES

NOT_TEMPLATE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache")
NO_SETUP = ["create_venv=no", "init_git=no"]
WORKFLOWS = ".github/workflows/"  # "Use this template" leaves them as they are (.github/use_this_template.py)


def git(*arguments: str, cwd: Path) -> str:
    identity = ["-c", "user.name=Template Tests", "-c", "user.email=tests@example.com"]
    return run(["git", *identity, *arguments], cwd=cwd).stdout


@pytest.fixture
def template_repo(tmp_path: Path) -> Path:
    """The template as it is now, committed and tagged v0.1.0 in a repository of its own, plus a bare clone."""
    source = tmp_path / "template"
    shutil.copytree(TEMPLATE_DIR, source, ignore=NOT_TEMPLATE)
    git("init", "--quiet", "--initial-branch=main", cwd=source)
    git("add", "--all", cwd=source)
    git("commit", "--quiet", "-m", "template 0.1.0", cwd=source)
    git("tag", "v0.1.0", cwd=source)
    run(["git", "clone", "--quiet", "--bare", source, tmp_path / "template.git"], cwd=tmp_path)
    return source


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """A cookiecutter config that keeps clones and replay files inside the test's directory."""
    config = tmp_path / "cookiecutter-config.yaml"
    config.write_text(f"cookiecutters_dir: {tmp_path / 'cookiecutters'}\nreplay_dir: {tmp_path / 'replay'}\n")
    return config


def cookiecutter(*arguments, cwd: Path, config: Path):
    return run([sys.executable, "-m", "cookiecutter", "--config-file", config, "--no-input", *arguments], cwd=cwd)


def test_git_url_at_a_tag_gives_the_same_project_as_a_local_path(template_repo, tmp_path, config_file) -> None:
    local, remote = tmp_path / "local", tmp_path / "remote"
    local.mkdir()
    remote.mkdir()
    url = f"git+file://{tmp_path / 'template.git'}"

    cookiecutter(template_repo, "-o", local, *NO_SETUP, cwd=tmp_path, config=config_file)
    cookiecutter(url, "--checkout", "v0.1.0", "-o", remote, *NO_SETUP, cwd=tmp_path, config=config_file)

    assert generated_files(remote / DEFAULT_SLUG) == generated_files(local / DEFAULT_SLUG)
    for relative in generated_files(local / DEFAULT_SLUG):
        assert (remote / DEFAULT_SLUG / relative).read_bytes() == (local / DEFAULT_SLUG / relative).read_bytes()


def test_replay_reproduces_the_last_answers(template_repo, tmp_path, config_file) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    cookiecutter(
        template_repo,
        "-o",
        first,
        *NO_SETUP,
        "package_name=sensor",
        "data_source=sql",
        cwd=tmp_path,
        config=config_file,
    )

    run(
        [sys.executable, "-m", "cookiecutter", "--config-file", config_file, "--replay", template_repo, "-o", second],
        cwd=tmp_path,
    )

    assert (second / DEFAULT_SLUG / "sensor" / "data_access" / "sql_source.py").is_file()
    assert generated_files(second / DEFAULT_SLUG) == generated_files(first / DEFAULT_SLUG)


def cruft_create(url: str, output: Path, config: Path, **answers) -> Path:
    output.mkdir()
    run(
        [
            tool("cruft"),
            "create",
            url,
            "--no-input",
            "--config-file",
            config,
            "--output-dir",
            output,
            "--extra-context",
            json.dumps(answers),
        ],
        cwd=output,
    )
    return output / DEFAULT_SLUG


def test_cruft_create_matches_cookiecutter_and_check_passes(template_repo, tmp_path, config_file) -> None:
    url = f"file://{tmp_path / 'template.git'}"
    plain = tmp_path / "plain"
    plain.mkdir()
    cookiecutter(url, "-o", plain, *NO_SETUP, cwd=tmp_path, config=config_file)

    project = cruft_create(url, tmp_path / "cruft", config_file, create_venv=False, init_git=False)

    assert generated_files(project) == sorted([*generated_files(plain / DEFAULT_SLUG), ".cruft.json"])
    recorded = json.loads((project / ".cruft.json").read_text())
    assert recorded["commit"] == git("rev-parse", "HEAD", cwd=template_repo).strip()
    run([tool("cruft"), "check"], cwd=project)


@pytest.mark.slow
def test_cruft_update_applies_the_template_change_and_keeps_user_edits(template_repo, tmp_path, config_file) -> None:
    url = f"file://{tmp_path / 'template.git'}"
    project = cruft_create(url, tmp_path / "cruft", config_file)  # with .venv and git, as a user gets it
    marker = project / ".venv" / "user-marker"
    marker.write_text("mine")
    git("add", ".cruft.json", cwd=project)
    git("commit", "--quiet", "-m", "Record the template version", cwd=project)
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nOur team's notes.\n")
    git("commit", "--quiet", "-am", "Team notes", cwd=project)

    # The template moves on: a new Makefile target and a new file.
    makefile = template_repo / "{{cookiecutter.project_slug}}" / "Makefile"
    makefile.write_text(makefile.read_text() + "\nhello:  ## say hello\n\t@echo hello\n")
    (template_repo / "{{cookiecutter.project_slug}}" / "CONTRIBUTING.md").write_text("# Contributing\n")
    git("add", "--all", cwd=template_repo)
    git("commit", "--quiet", "-m", "template 0.2.0", cwd=template_repo)
    git("push", "--quiet", str(tmp_path / "template.git"), "main", cwd=template_repo)

    assert run([tool("cruft"), "check"], cwd=project, expect=1).returncode == 1
    update = run([tool("cruft"), "update", "--skip-apply-ask", "--allow-untracked-files"], cwd=project)

    assert "hello:  ## say hello" in (project / "Makefile").read_text()
    assert (project / "CONTRIBUTING.md").read_text() == "# Contributing\n"
    assert readme.read_text().endswith("Our team's notes.\n")
    assert marker.read_text() == "mine"
    assert "[mlops-template]" not in update.stdout + update.stderr  # the hooks did no setup in cruft's renders
    assert git("log", "--oneline", cwd=project).count("\n") == 3
    run([tool("cruft"), "check"], cwd=project)


def test_template_keeps_copies_of_the_generated_workflows() -> None:
    # Copied without rendering, so every bake has them byte for byte (test_bake.py checks each option value).
    for name in ("ci.yml", "cd.yml"):
        generated = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / ".github" / "workflows" / name
        assert (TEMPLATE_DIR / ".github" / "workflows" / name).read_bytes() == generated.read_bytes(), name


def test_template_workflows_are_valid() -> None:
    workflows = sorted((TEMPLATE_DIR / ".github" / "workflows").glob("*.yml"))
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *workflows], cwd=TEMPLATE_DIR)
    assert {path.name for path in workflows} == {"ci.yml", "cd.yml", "setup.yml", "test.yml"}


def test_template_workflows_pass_zizmor() -> None:
    # Actions pinned to commit SHAs, no credentials persisted by checkout, write permissions only on the job that
    # needs them; the generated projects' workflows are audited in test_bake.py, for every option value.
    result = run([tool("zizmor"), "--offline", ".github"], cwd=TEMPLATE_DIR)
    assert "No findings to report" in result.stdout, result.stdout
    dependabot = TEMPLATE_DIR / ".github" / "dependabot.yml"  # keeps the pinned SHAs current
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot", dependabot], cwd=TEMPLATE_DIR)
    assert [update["package-ecosystem"] for update in yaml.safe_load(dependabot.read_text())["updates"]] == [
        "github-actions"
    ]


def form_inputs() -> dict:
    return yaml.safe_load((TEMPLATE_DIR / ".github" / "workflows" / "setup.yml").read_text())[True][
        "workflow_dispatch"
    ]["inputs"]


# The form's answers: the default set-up of the first push, and every entry of the bake matrix the form can give
# (it asks for no package name: that one comes from the project name).
FORM_ANSWERS = {"push": None, "form-defaults": {}} | {
    name: answers for name, answers in OPTION_VALUES.items() if set(answers) <= set(form_inputs())
}


def use_this_template(checkout: Path, *arguments: str, cwd: Path, expect: int = 0):
    # As setup.yml runs it: a copy taken before the set-up removes it (from the commit before, when run again).
    script = TEMPLATE_DIR / ".github" / "use_this_template.py"
    return run([sys.executable, script, *arguments, "--checkout", checkout], cwd=cwd, expect=expect)


def test_the_form_asks_every_choice_of_the_template_with_its_defaults() -> None:
    inputs = form_inputs()
    choices = {key: values for key, values in OPTION_CHOICES.items() if key not in {"create_venv", "init_git"}}
    assert set(inputs) == set(choices) | {"project_name", "description", "author_name"}
    for key, values in choices.items():
        if isinstance(values[0], bool):
            assert (inputs[key]["type"], inputs[key]["default"]) == ("boolean", values[0]), key
        else:
            assert (inputs[key]["type"], inputs[key]["options"], inputs[key]["default"]) == (
                "choice",
                values,
                values[0],
            )
    assert all(inputs[key]["default"] == "" for key in ("project_name", "description", "author_name"))


@pytest.mark.parametrize("answers", FORM_ANSWERS.values(), ids=FORM_ANSWERS.keys())
def test_use_this_template_gives_the_bake_of_the_same_answers(answers, template_repo, tmp_path, config_file) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    given = [
        f"{key}={'yes' if value is True else 'no' if value is False else value}"
        for key, value in (answers or {}).items()
    ]
    cookiecutter(
        template_repo,
        "-o",
        plain,
        *NO_SETUP,
        "project_name=Pump Monitor",
        "description=Watches the pumps.",
        "author_name=acme",
        *given,
        cwd=tmp_path,
        config=config_file,
    )

    # A push has no form: setup.yml passes `toJSON(inputs)` all the same, which may be null there.
    form = ["--answers", "null" if answers is None else json.dumps({"description": "", **answers})]
    use_this_template(
        template_repo,
        "--name",
        "pump-monitor",
        "--description",
        "Watches the pumps.",
        "--author",
        "acme",
        *form,
        cwd=tmp_path,
    )

    expected = plain / "pump-monitor"
    outside_workflows = [path for path in generated_files(template_repo) if not path.startswith(WORKFLOWS)]
    assert (".github/dependabot.yml" in outside_workflows) == ((answers or {}).get("ci_provider") != "none")
    assert outside_workflows == [path for path in generated_files(expected) if not path.startswith(WORKFLOWS)]
    for relative in outside_workflows:
        assert (template_repo / relative).read_bytes() == (expected / relative).read_bytes(), relative
    # The workflow token may not delete workflow files: all four stay, the generated ones as the bake has them.
    workflows = [WORKFLOWS + name for name in ("cd.yml", "ci.yml", "setup.yml", "test.yml")]
    assert [path for path in generated_files(template_repo) if path.startswith(WORKFLOWS)] == workflows
    for relative in [path for path in generated_files(expected) if path.startswith(WORKFLOWS)]:
        assert (template_repo / relative).read_bytes() == (expected / relative).read_bytes(), relative
    assert git("status", "--porcelain", cwd=template_repo) == ""
    assert git("log", "--format=%s", cwd=template_repo).splitlines() == [
        "Set up pump-monitor from mlops-template",
        "template 0.1.0",
    ]


def test_the_form_sets_up_again_over_the_default_set_up_only(template_repo, tmp_path, config_file) -> None:
    use_this_template(template_repo, "--name", "pump-monitor", cwd=tmp_path)
    assert not (template_repo / "pump_monitor" / "data_access" / "sql_source.py").exists()

    form = json.dumps({"project_name": "Pump Watch", "data_source": "sql", "include_docker": False})
    use_this_template(template_repo, "--name", "pump-monitor", "--answers", form, cwd=tmp_path)

    assert (template_repo / "pump_watch" / "data_access" / "sql_source.py").is_file()
    assert not (template_repo / "pump_monitor").exists()
    assert not (template_repo / "docker").exists()
    assert not (template_repo / "cookiecutter.json").exists()
    assert git("status", "--porcelain", cwd=template_repo) == ""
    assert len(git("log", "--format=%s", cwd=template_repo).splitlines()) == 3
    (template_repo / "notes.md").write_text("ours\n")
    git("add", "notes.md", cwd=template_repo)
    git("commit", "--quiet", "-m", "Our notes", cwd=template_repo)

    refused = use_this_template(template_repo, "--name", "pump-monitor", "--answers", form, cwd=tmp_path, expect=1)

    assert "already a project of its own" in refused.stderr
    assert (template_repo / "notes.md").read_text() == "ours\n"
    assert git("status", "--porcelain", cwd=template_repo) == ""


@pytest.mark.parametrize(
    "form",
    [{"data_source": "oracle"}, {"package_name": "sensor"}, {"_template_version": "9"}, {"include_docker": "maybe"}],
)
def test_the_form_takes_only_the_template_s_answers(form, template_repo, tmp_path) -> None:
    refused = use_this_template(
        template_repo, "--name", "pump-monitor", "--answers", json.dumps(form), cwd=tmp_path, expect=1
    )

    assert "is not an answer of this template" in refused.stderr
    assert (template_repo / "cookiecutter.json").is_file()
    assert git("status", "--porcelain", cwd=template_repo) == ""


def test_use_this_template_passes_the_description_as_data(template_repo, tmp_path) -> None:
    # cookiecutter renders every answer as a template: passed as text, this would become "49" or stop the bake.
    description = "Watches {{ 7*7 }} pumps {% raw %} and 'quotes' \"too\""

    run(
        [
            sys.executable,
            template_repo / ".github" / "use_this_template.py",
            "--name",
            "pump-monitor",
            "--description",
            description,
            "--author",
            "acme {{ x }}",
            "--checkout",
            template_repo,
        ],
        cwd=tmp_path,
    )

    pyproject = tomllib.loads((template_repo / "pyproject.toml").read_text())
    assert pyproject["project"]["description"] == description
    assert pyproject["project"]["authors"][0]["name"] == "acme {{ x }}"
    assert description in (template_repo / "README.md").read_text()


def test_template_meta_files_are_valid_and_stay_out_of_projects(default_project) -> None:
    forms = sorted((TEMPLATE_DIR / ".github" / "ISSUE_TEMPLATE").glob("*_*.yml"))
    assert [path.name for path in forms] == ["bug_report.yml", "feature_request.yml"]
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", *forms], cwd=TEMPLATE_DIR)
    config = TEMPLATE_DIR / ".github" / "ISSUE_TEMPLATE" / "config.yml"
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-issue-config", config], cwd=TEMPLATE_DIR)
    assert (TEMPLATE_DIR / "LICENSE").read_text().startswith("MIT License")
    assert "_template_version" in (TEMPLATE_DIR / "CONTRIBUTING.md").read_text()
    assert not (default_project / "CONTRIBUTING.md").exists()
    assert not (default_project / ".github" / "ISSUE_TEMPLATE").exists()
