"""Fixtures of the template's tests; the helpers they use live in tests/helpers.py."""

from __future__ import annotations

import pytest

from tests.helpers import bake, generate


@pytest.fixture(scope="session")
def default_project(cookies_session):
    """The default answers, baked once for the fast checks that only read files."""
    return bake(cookies_session)


@pytest.fixture(scope="session")
def installed_project(tmp_path_factory):
    """Generate a project through the command line, .venv installed by the hook, once per set of answers."""
    made = {}

    def make(*answers: str):
        if answers not in made:
            made[answers] = generate(tmp_path_factory.mktemp("project"), *answers)
        return made[answers]

    return make
