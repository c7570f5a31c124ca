"""The package's rooms import downwards only: no import cycle between rooms, and each room imports only the rooms
below it in LAYER, the table README.md's "Layout" draws. Imports inside functions and `if FLAG:` branches count."""

from __future__ import annotations

import ast
from pathlib import Path

import {{ cookiecutter.package_name }}

PACKAGE = Path({{ cookiecutter.package_name }}.__file__).parent
ROOT = "__init__"  # the room of the package itself: `from .. import __version__`

# A room is a subpackage, or a module at the top of the package (named without ".py"). A room may import the rooms of
# a lower number, never one of its own number or above. A project lacks the rooms of options it was not generated
# with (api when serving is none): they are simply absent. A new room needs its line here and in README.md.
LAYER = {
    "__main__": 12,
    "cli": 11,
    "api": 10,
    "tuning": 10,
    "schema_inference": 10,
    "pipeline": 9,
    "components": 8,
    "monitoring": 7,
    "builders": 6,
    "tracking": 5,
    "configuration": 4,
    "training": 3,
    "registry": 3,
    "data_access": 3,
    "cloud_storage": 3,
    "inference": 2,
    "reports": 2,
    "logger": 2,
    "utils": 1,
    ROOT: 1,
    "constants": 0,
    "entity": 0,
    "exception": 0,
}


def _rooms_imported(node: ast.Import | ast.ImportFrom, package: Path, inside: list[str]) -> set[str]:
    """The rooms an import statement reaches from a module of the subpackage `inside` (other libraries: none)."""
    if isinstance(node, ast.Import):
        modules = [alias.name.split(".") for alias in node.names]
        return {module[1] if len(module) > 1 else ROOT for module in modules if module[0] == package.name}
    module = node.module.split(".") if node.module else []
    if node.level == 0 and module[:1] == [package.name]:
        target = module[1:]
    elif node.level == 0 or node.level - 1 > len(inside):
        return set()  # another library, or above the package
    else:
        target = inside[: len(inside) - node.level + 1] + module
    if target:
        return {target[0]}
    # `from .. import exception, __version__`: a module of the package, or a name the package itself defines.
    names = [alias.name for alias in node.names]
    return {name if (package / name).is_dir() or (package / f"{name}.py").is_file() else ROOT for name in names}


def room_graph(package: Path) -> dict[str, set[str]]:
    """Each room of the package and the other rooms its modules import, wherever in a module the import is."""
    graph: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package).with_suffix("").parts)
        room = ROOT if parts == ["__init__"] else parts[0]
        inside = parts[:-1]  # the subpackage the module is in, where its relative imports start
        imports = graph.setdefault(room, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                imports |= _rooms_imported(node, package, inside)
        imports.discard(room)
    return graph


def forbidden_imports(graph: dict[str, set[str]], layer: dict[str, int]) -> list[str]:
    """Each import of a room that is not below the importing one, and each room the table lacks."""
    rooms = set(graph).union(*graph.values())
    unknown = [f"{room} is not in the table" for room in sorted(rooms - layer.keys())]
    wrong = sorted(
        f"{room} imports {imported}"
        for room, imports in graph.items()
        for imported in imports
        if room in layer and imported in layer and layer[imported] >= layer[room]
    )
    return unknown + wrong


def import_cycle(graph: dict[str, set[str]]) -> list[str]:
    """Rooms that import each other in a circle, the first one again at the end; empty when there is none."""
    done: set[str] = set()

    def visit(room: str, path: list[str]) -> list[str]:
        if room in path:
            return [*path[path.index(room) :], room]
        if room in done:
            return []
        for imported in sorted(graph.get(room, set())):
            cycle = visit(imported, [*path, room])
            if cycle:
                return cycle
        done.add(room)
        return []

    for room in sorted(graph):
        cycle = visit(room, [])
        if cycle:
            return cycle
    return []


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_the_rooms_import_each_other_in_no_cycle() -> None:
    graph = room_graph(PACKAGE)

    cycle = import_cycle(graph)

    assert {"cli", "pipeline", "components", "configuration", ROOT} <= set(graph)
    assert not cycle, "rooms import each other: " + " -> ".join(cycle)


def test_each_room_imports_only_the_rooms_below_it() -> None:
    graph = room_graph(PACKAGE)

    forbidden = forbidden_imports(graph, LAYER)

    assert not forbidden, "; ".join(forbidden) + " (see LAYER)"


def test_an_upward_import_inside_a_function_is_found(tmp_path: Path) -> None:
    package = tmp_path / "shop"
    _write(
        package,
        {
            "__init__.py": '__version__ = "1"\n',
            "cli.py": "from . import __version__\nfrom .utils.text import shout\n",
            "exception.py": "",
            "utils/__init__.py": "",
            "utils/text.py": (
                "from .. import exception\n\n\ndef shout() -> None:\n    from ..cli import main\n    import shop.cli\n"
            ),
        },
    )

    graph = room_graph(package)

    assert graph == {ROOT: set(), "cli": {ROOT, "utils"}, "exception": set(), "utils": {"cli", "exception"}}
    assert import_cycle(graph) == ["cli", "utils", "cli"]
    assert forbidden_imports(graph, {"cli": 2, "utils": 1, ROOT: 1, "exception": 0}) == ["utils imports cli"]


def test_a_room_missing_from_the_table_is_named(tmp_path: Path) -> None:
    package = tmp_path / "shop"
    _write(package, {"__init__.py": "", "cli.py": "from .extras import thing\n", "extras/__init__.py": "thing = 1\n"})

    graph = room_graph(package)

    assert import_cycle(graph) == []
    assert forbidden_imports(graph, {"cli": 1, ROOT: 0}) == ["extras is not in the table"]
