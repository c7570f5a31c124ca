"""Every valid package name bakes lint-clean: ruff's import order must not depend on where the name sorts."""

from __future__ import annotations

import pytest

from tests.helpers import bake, run, tool


@pytest.mark.parametrize(
    ("package_name", "answers"),
    [
        ("aardvark", {"artifact_storage": "s3"}),  # sorts before "tests"
        ("zymurgy", {"artifact_storage": "s3"}),  # sorts after "tests"
        ("tests_extra", {}),  # shares the prefix
    ],
)
def test_package_names_on_both_sides_of_tests_are_lint_clean(cookies, package_name, answers) -> None:
    project = bake(cookies, package_name=package_name, **answers)

    run([tool("ruff"), "check", "--no-cache", "."], cwd=project)
