"""Fixtures of the template's tests; the helpers they use live in tests/helpers.py."""

from __future__ import annotations

import pytest

from tests.helpers import bake


@pytest.fixture(scope="session")
def default_project(cookies_session):
    """The default answers, baked once for the fast checks that only read files."""
    return bake(cookies_session)
