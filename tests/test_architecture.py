"""The generated package's structure: plain Python in the template, rooms (subpackages) that never import each
other both ways, and modules short enough to read (issue "A house to carry on")."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path

import pytest

from tests.helpers import DEFAULT_PACKAGE, TEMPLATE_DIR, bake, run

PACKAGE_SOURCES = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "{{cookiecutter.package_name}}"
JINJA = re.compile(r"\{\{|\{%|\{#")
MAX_MODULE_LINES = 300
MAX_COPY_WITHOUT_RENDER = 25
BAKES = {
    "default": {},
    "sql-s3-mlflow": {"data_source": "sql", "artifact_storage": "s3", "experiment_tracking": "mlflow"},
}


def room_imports(package: Path) -> dict[str, set[str]]:
    """Room -> the other rooms its modules import, at module level or inside functions (lazily)."""
    rooms = {path.name for path in package.iterdir() if (path / "__init__.py").is_file()}
    graph: dict[str, set[str]] = {room: set() for room in rooms}
    for module in package.rglob("*.py"):
        parts = module.relative_to(package).with_suffix("").parts
        room = parts[0] if parts[0] in rooms else None
        # The package a relative import starts from: a module's own folder (an __init__ is its folder).
        here = list(parts[:-1])
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = [*base, *(node.module.split(".") if node.module else [])]
                names = [[*target, alias.name] for alias in node.names] if not node.module else [target]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == package.name:
                names = [node.module.split(".")[1:]]
            else:
                continue
            for name in names:
                if name and name[0] in rooms and room is not None and name[0] != room:
                    graph[room].add(name[0])
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle between rooms, each as the path that closes it."""
    found, state = [], {}

    def visit(room: str, path: list[str]) -> None:
        state[room] = "open"
        for target in sorted(graph[room]):
            if state.get(target) == "open":
                found.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[room] = "done"

    for room in sorted(graph):
        if room not in state:
            visit(room, [room])
    return found


def test_the_package_sources_are_plain_python() -> None:
    """No Jinja in any module: the answers reach the code through constants/answers.py, which the hook writes."""
    with_jinja = [
        path.relative_to(PACKAGE_SOURCES).as_posix()
        for path in sorted(PACKAGE_SOURCES.rglob("*.py"))
        if JINJA.search(path.read_text(encoding="utf-8"))
    ]

    assert not with_jinja, f"Jinja in the package's Python files: {with_jinja}"
    for path in PACKAGE_SOURCES.rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_copy_without_render_is_a_few_patterns() -> None:
    patterns = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())["_copy_without_render"]

    assert len(patterns) <= MAX_COPY_WITHOUT_RENDER, patterns
    assert "{{cookiecutter.package_name}}/*.py" in patterns


def test_room_graph_finds_a_cycle_when_there_is_one(tmp_path: Path) -> None:
    """The check below can fail: two rooms that import each other, one of them lazily, are found."""
    package = tmp_path / "made_up"
    for room, source in {
        "alpha": "from ..beta import thing\n",
        "beta": "def f():\n    from ..alpha import x\n",
    }.items():
        (package / room).mkdir(parents=True)
        (package / room / "__init__.py").write_text("")
        (package / room / "module.py").write_text(source)

    assert cycles(room_imports(package)) == [["alpha", "beta", "alpha"]]


@pytest.mark.parametrize("answers", BAKES.values(), ids=BAKES.keys())
def test_rooms_never_import_each_other_both_ways(cookies, answers: dict[str, str]) -> None:
    package = bake(cookies, **answers) / DEFAULT_PACKAGE
    graph = room_imports(package)

    assert {"builders", "inference", "training", "schema_inference"} <= set(graph)
    assert not cycles(graph), f"import cycles between rooms: {cycles(graph)}"


@pytest.mark.parametrize("answers", BAKES.values(), ids=BAKES.keys())
def test_no_module_is_longer_than_a_read(cookies, answers: dict[str, str]) -> None:
    package = bake(cookies, **answers) / DEFAULT_PACKAGE
    lengths = {
        path.relative_to(package).as_posix(): len(path.read_text().splitlines()) for path in package.rglob("*.py")
    }

    assert {name: lines for name, lines in lengths.items() if lines > MAX_MODULE_LINES} == {}


@pytest.mark.parametrize("answers", BAKES.values(), ids=BAKES.keys())
def test_every_room_says_its_job_in_its_init(cookies, answers: dict[str, str]) -> None:
    package = bake(cookies, **answers) / DEFAULT_PACKAGE
    for init in package.glob("*/__init__.py"):
        docstring = ast.get_docstring(ast.parse(init.read_text()))
        assert docstring, f"{init.parent.name}/__init__.py says nothing of its room's job"
        assert "\n" not in docstring, f"{init.parent.name}/__init__.py: say the room's job in one line"


def test_the_package_sources_lint_clean_as_they_stand(default_project) -> None:
    """ruff, with the generated project's settings, on the package in the template repository (not a bake)."""
    config = default_project / "pyproject.toml"

    run([sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, PACKAGE_SOURCES], cwd=TEMPLATE_DIR)
    run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "--config", config, PACKAGE_SOURCES],
        cwd=TEMPLATE_DIR,
    )
