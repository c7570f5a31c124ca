"""Each command imports what it uses: `--help` answers without scikit-learn, pandas or matplotlib, and code
needed on one path only (plots, the training pipeline, tuning) is not imported by the others."""

from __future__ import annotations

import subprocess
import sys

import pytest

PACKAGE = "{{ cookiecutter.package_name }}"
# Libraries that take a second or more to import (and, in a new .venv, to compile).
HEAVY_LIBRARIES = frozenset({"sklearn", "scipy", "pandas", "matplotlib", "skl2onnx", "onnx", "optuna", "mlflow"})


def modules_imported_by(code: str) -> set[str]:
    """The names in sys.modules after `code` runs in a new interpreter (this process has imported everything)."""
    script = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    return set(result.stdout.split())


def libraries(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_help_works_without_docstrings() -> None:
    """`python -OO` drops every docstring: the command line must not need its own."""
    result = subprocess.run(
        [sys.executable, "-OO", "-m", PACKAGE, "--help"], capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_help_imports_none_of_the_heavy_libraries() -> None:
    code = (
        "import contextlib, io\n"
        f"from {PACKAGE}.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0\n"
    )

    imported = modules_imported_by(code)

    assert f"{PACKAGE}.cli" in imported
    assert libraries(imported) & HEAVY_LIBRARIES == set()


@pytest.mark.parametrize("command", ["train", "predict", "tune", "monitor", "models"])
def test_a_command_help_imports_none_of_the_heavy_libraries(command: str) -> None:
    code = (
        "import contextlib, io\n"
        f"from {PACKAGE}.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main([{command!r}, '--help']) == 0\n"
    )

    assert libraries(modules_imported_by(code)) & HEAVY_LIBRARIES == set()


def test_loading_the_settings_imports_no_plotting_and_no_pipeline() -> None:
    imported = modules_imported_by(f"from {PACKAGE}.configuration import load_settings")

    assert libraries(imported) & {"matplotlib", "pandas", "skl2onnx", "optuna"} == set()
    assert not any(name.startswith(f"{PACKAGE}.pipeline") for name in imported)
{%- if cookiecutter.serving == "fastapi" %}


def test_the_server_imports_neither_the_training_code_nor_matplotlib() -> None:
    imported = modules_imported_by(f"from {PACKAGE}.api.app import create_app")

    assert f"{PACKAGE}.api.app" in imported
    assert libraries(imported) & {"matplotlib", "sklearn", "skl2onnx", "optuna"} == set()
    assert f"{PACKAGE}.pipeline.training_pipeline" not in imported
{%- endif %}
