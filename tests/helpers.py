"""Shared by the template's tests: baking, running commands with readable failures, listing generated files."""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SLUG = "sensor-fault-detection"
DEFAULT_PACKAGE = "sensor_fault_detection"
SKIPPED_PARTS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache"}
# Every option with a fixed set of values (a choice list, or yes/no) as cookiecutter.json offers it: default first.
OPTION_CHOICES = {
    key: value if isinstance(value, list) else [value, not value]
    for key, value in json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text()).items()
    if not key.startswith("_") and isinstance(value, (list, bool))
}
DEFAULT_ANSWERS = {key: values[0] for key, values in OPTION_CHOICES.items()}


@functools.cache
def load_hook(name: str) -> ModuleType:
    """A hook as a module, from its unrendered file (valid Python: only its `main()` reads the answers)."""
    spec = importlib.util.spec_from_file_location(name, TEMPLATE_DIR / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def bake(cookies, **answers):
    """Bake with the given answers; no .venv and no git unless asked. Fails with the hook's error."""
    context = {"create_venv": False, "init_git": False, **answers}
    result = cookies.bake(extra_context=context, template=str(TEMPLATE_DIR))
    assert result.exit_code == 0, f"bake failed with {context}: {result.exception!r}"
    return result.project_path


# A block of a generated README or docs page that the slow tier runs as written is fenced as ```bash runnable
# (GitHub still highlights it as bash). A block fenced as ```text output right after it shows what it prints: each
# of its lines must appear in one line of what the block printed, "..." standing for any text. A bash block that
# needs what no test machine has is fenced as ```bash needs-WHAT (tests/test_doc_blocks.py lists what), and the
# files it names must exist.
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
BLOCK_START = "::runnable block "


@dataclass(frozen=True)
class Block:
    """A fenced block: its info string (`bash runnable`), its lines, and the output shown right after it."""

    info: str
    lines: list[str]
    output: list[str] = field(default_factory=list)


def fenced_blocks(markdown: Path) -> list[Block]:
    """Every fenced block of `markdown`, in order, each `text output` block attached to the block before it."""
    blocks: list[Block] = []
    for match in FENCE.finditer(markdown.read_text(encoding="utf-8")):
        lines = match["body"].splitlines()
        if match["info"].strip() == "text output" and blocks and not blocks[-1].output:
            blocks[-1] = Block(blocks[-1].info, blocks[-1].lines, lines)
        else:
            blocks.append(Block(match["info"].strip(), lines))
    return blocks


def runnable_blocks(markdown: Path) -> list[Block]:
    return [block for block in fenced_blocks(markdown) if block.info == "bash runnable"]


def runnable_lines(markdown: Path) -> list[str]:
    """The lines of the blocks of `markdown` fenced as ```bash runnable, in order; a test fails when there are none."""
    lines = [line for block in runnable_blocks(markdown) for line in block.lines]
    assert lines, f"{markdown.name} has no block fenced as bash runnable"
    return lines


def missing_output(expected: list[str], printed: str) -> list[str]:
    """The lines of `expected` that appear in no line of `printed` ("..." matches any text)."""
    printed_lines = printed.splitlines()

    def shown(line: str) -> bool:
        pattern = ".*?".join(re.escape(part) for part in line.strip().split("..."))
        return any(re.search(pattern, printed_line) for printed_line in printed_lines)

    return [line for line in expected if line.strip() and not shown(line)]


def run_blocks(blocks: list[Block], cwd: Path, env=None, timeout: int = 1200) -> list[str]:
    """Run the blocks in order in one bash (errexit, pipefail), as a user pastes them into one terminal; fail on a
    non-zero exit or on shown output that does not appear. The shell runs in a session of its own, ended afterwards
    with whatever a block left running (a server started with `&`). Returns each block's output, stderr included."""
    script = ["set -euo pipefail"]
    for number, block in enumerate(blocks):
        script += [f"echo '{BLOCK_START}{number}'", *block.lines]
    child_env = {key: value for key, value in (env or os.environ).items() if key not in NOT_INHERITED}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            ["bash", "-c", "\n".join(script)],
            cwd=cwd,
            env=child_env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            code = process.wait(timeout=timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        log.seek(0)
        printed = log.read()
    outputs = re.split(rf"^{re.escape(BLOCK_START)}\d+\n", printed, flags=re.MULTILINE)[1:]
    assert code == 0, f"block {len(outputs) - 1} exited {code}:\n{blocks[len(outputs) - 1].lines}\n{printed[-6000:]}"
    for block, output in zip(blocks, outputs, strict=True):
        missing = missing_output(block.output, output)
        assert not missing, f"not printed: {missing}\nby {block.lines}\n--- output ---\n{output[-4000:]}"
    return outputs


# Set by the caller's shell, not by a user's: an activated venv would capture installs, and PYTHONDONTWRITEBYTECODE
# would make every start of a generated project compile every module it imports again.
NOT_INHERITED = {"VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"}


def run(command, cwd, timeout=600, env=None, expect=0):
    """Run a command as in a user's shell (see NOT_INHERITED); on an unexpected exit code show its output."""
    child_env = {key: value for key, value in (env or os.environ).items() if key not in NOT_INHERITED}
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=child_env, capture_output=True, text=True, timeout=timeout
    )
    if expect is not None:
        assert result.returncode == expect, (
            f"{' '.join(map(str, command))} exited {result.returncode}, expected {expect}\n"
            f"--- stdout ---\n{result.stdout[-4000:]}\n--- stderr ---\n{result.stderr[-4000:]}"
        )
    return result


def assert_suite_passed(result: subprocess.CompletedProcess, minimum: int) -> int:
    """A generated project's own pytest run (already known to exit 0) ran at least `minimum` tests."""
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    found = re.search(r"(\d+) passed", summary)
    assert found and int(found.group(1)) >= minimum, f"expected >= {minimum} passing tests: {summary!r}"
    return int(found.group(1))


def assert_type_checks(project: Path) -> None:
    """The project's own mypy (strict, as its pyproject.toml and CI run it) finds no error in its installed venv."""
    result = run([project / ".venv" / "bin" / "python", "-m", "mypy"], cwd=project, timeout=900)
    assert "Success: no issues found" in result.stdout, result.stdout[-4000:]


def tool(name: str) -> str:
    """A command installed with the template's dev tools, where the running Python puts scripts: next to it in a
    venv, in `Scripts/` beside a Windows install that is not a venv (sysconfig knows which)."""
    places = os.pathsep.join([sysconfig.get_path("scripts"), str(Path(sys.executable).parent)])
    found = shutil.which(name, path=places)
    assert found, f"{name} is not installed with {sys.executable}: install the dev tools (README)"
    return found


def generate(output_dir: Path, *answers: str, env=None, python=sys.executable):
    """`cookiecutter --no-input TEMPLATE key=value...` as a user runs it; returns the result and the project."""
    output_dir.mkdir(parents=True, exist_ok=True)
    result = run(
        [python, "-m", "cookiecutter", "--no-input", TEMPLATE_DIR, "-o", output_dir, *answers],
        cwd=output_dir,
        env=env,
        timeout=1200,
    )
    return result, output_dir / DEFAULT_SLUG


def generated_files(project: Path) -> list[str]:
    """Every file of a generated project, as sorted relative POSIX paths, without git, venv and caches."""
    return sorted(
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file()
        and not SKIPPED_PARTS.intersection(path.relative_to(project).parts)
        and not any(part.endswith(".egg-info") for part in path.relative_to(project).parts)
    )


def text_of(path: Path) -> str | None:
    """The file's text, or None for binary files."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None
