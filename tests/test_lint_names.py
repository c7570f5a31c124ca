"""Every valid package name bakes lint-clean and formatted.

Ruff's import order must not depend on where the name sorts, and the longest name (50 characters) must not push a
line past the limit or make the formatter wrap what it leaves alone for a short name.
"""

from __future__ import annotations

import pytest

from tests.helpers import bake, run, tool


@pytest.mark.parametrize(
    ("package_name", "answers"),
    [
        ("aardvark", {"artifact_storage": "s3"}),  # sorts before "tests"
        ("zymurgy", {"artifact_storage": "s3"}),  # sorts after "tests"
        ("tests_extra", {}),  # shares the prefix
        ("a" * 50, {"data_source": "sql", "artifact_storage": "s3", "experiment_tracking": "mlflow"}),  # longest
        ("b", {"data_source": "mongodb", "model_library": "xgboost"}),  # shortest
    ],
)
def test_package_names_are_lint_clean_and_formatted(cookies, package_name, answers) -> None:
    project = bake(cookies, package_name=package_name, **answers)

    run([tool("ruff"), "check", "--no-cache", "."], cwd=project)
    run([tool("ruff"), "format", "--check", "--no-cache", "."], cwd=project)
