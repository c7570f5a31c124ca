"""The template README as written: its Quickstart in a clone of this working tree, and its routes (the other block
fenced as `bash runnable` and the inline `cookiecutter` commands) with the local clone standing in for GitHub
(git's `insteadOf` sends `gh:org/mlops-template`, which cookiecutter expands to the GitHub URL, and that URL to a
bare clone of this working tree)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import DEFAULT_SLUG, TEMPLATE_DIR, Block, run, run_blocks, runnable_blocks, tool
from tests.test_routes import config_file, template_repo  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow
GITHUB_URL = "https://github.com/org/mlops-template.git"
PLACEHOLDER_PATH = "/path/to/mlops-template"
INLINE_COOKIECUTTER = re.compile(r"`(cookiecutter [^`]+)`")
# The Quickstart's step 2, the whole suite with this test in it: here only checked to collect in the clone, since
# .ci/run runs it (tests/test_doc_blocks.py checks that .ci/run's test command is this one).
SUITE = ".venv/bin/python -m pytest"
GIT_IDENTITY = {
    f"GIT_{who}_{what}": value
    for who in ("AUTHOR", "COMMITTER")
    for what, value in (("NAME", "Template Tests"), ("EMAIL", "tests@example.com"))
}


def quickstart_and_routes(readme: Path) -> tuple[Block, list[Block]]:
    """The Quickstart's runnable block (the one that generates into `..`) and the other runnable blocks."""
    blocks = runnable_blocks(readme)
    quickstart = [block for block in blocks if any("--output-dir .." in line for line in block.lines)]
    assert len(quickstart) == 1, blocks
    return quickstart[0], [block for block in blocks if block is not quickstart[0]]


def route_groups(readme: Path) -> list[list[str]]:
    """The runnable lines grouped as a user runs them: each `cookiecutter` line alone (they are alternatives, each
    in a folder of its own), the lines between them together (cruft's create, commit, check and update)."""
    groups: list[list[str]] = []
    _, routes = quickstart_and_routes(readme)
    assert routes, f"{readme.name} has no runnable block besides the Quickstart's"
    for line in [line for block in routes for line in block.lines]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("cookiecutter ") or not groups or groups[-1][0].startswith("cookiecutter "):
            groups.append([line])
        else:
            groups[-1].append(line)
    inline = INLINE_COOKIECUTTER.findall(readme.read_text(encoding="utf-8"))
    return groups + [[line] for line in inline if [line] not in groups]


def user_shell(tmp_path: Path, bare: Path, config: Path) -> dict[str, str]:
    """A user's environment where GitHub is the bare clone; prompts default to no .venv (the install is tested
    elsewhere), so the interactive route takes every other default."""
    config.write_text(config.read_text() + "default_context:\n  create_venv: false\n")
    env = {key: value for key, value in os.environ.items() if key not in {"VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"}}
    tools = str(Path(tool("cruft")).parent)
    return env | {
        "PATH": os.pathsep.join([tools, env.get("PATH", "")]),
        "COOKIECUTTER_CONFIG": str(config),
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.file://{bare}.insteadOf",
        "GIT_CONFIG_VALUE_0": GITHUB_URL,
        **GIT_IDENTITY,
    }


def test_the_readme_routes_run_as_written(template_repo, tmp_path, config_file) -> None:  # noqa: F811
    env = user_shell(tmp_path, tmp_path / "template.git", config_file)
    groups = route_groups(TEMPLATE_DIR / "README.md")
    assert [group[0].split()[0] for group in groups].count("cruft") == 1, groups

    for number, group in enumerate(groups):
        folder = tmp_path / f"route-{number}"
        folder.mkdir()
        script = "\n".join(["set -euo pipefail", *group]).replace(PLACEHOLDER_PATH, str(tmp_path / "template.git"))
        result = subprocess.run(
            ["bash", "-c", script], cwd=folder, env=env, input="\n" * 100, capture_output=True, text=True, timeout=600
        )

        assert result.returncode == 0, f"{group}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        project = folder / DEFAULT_SLUG if (folder / DEFAULT_SLUG).is_dir() else folder / "sensor"
        assert (project / "README.md").is_file(), f"{group}: {sorted(path.name for path in folder.iterdir())}"
        assert not (project / ".venv").exists()
        if group[0].startswith("cruft"):
            assert "SUCCESS" in result.stdout + result.stderr, result.stdout + result.stderr
            assert (
                ".cruft.json"
                in subprocess.run(["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True).stdout
            )


def test_the_quickstart_runs_as_written_in_a_clone(template_repo, tmp_path, config_file) -> None:  # noqa: F811
    """Step 1 in a fresh clone: its .venv, the default project generated beside the clone with its own .venv (the
    hook's install), trained; its shown output must appear. Step 2 collects the suite with the tools step 1 gave."""
    quickstart, _ = quickstart_and_routes(TEMPLATE_DIR / "README.md")
    lines = [f"{SUITE} --collect-only -q" if line.split("#")[0].strip() == SUITE else line for line in quickstart.lines]
    assert lines != quickstart.lines, quickstart.lines
    clone = tmp_path / "user" / "mlops-template"
    run(["git", "clone", "--quiet", tmp_path / "template.git", clone], cwd=tmp_path)
    env = {**os.environ, "COOKIECUTTER_CONFIG": str(config_file), **GIT_IDENTITY}

    output = run_blocks([Block(quickstart.info, lines, quickstart.output)], cwd=clone, env=env)[0]

    project = tmp_path / "user" / DEFAULT_SLUG
    assert (project / "models" / "production" / "CURRENT").read_text().strip() == "v0001"
    assert "[mlops-template] installed" in output, output[-3000:]
    assert re.search(r"^\d+ tests collected", output, re.MULTILINE), output[-3000:]
