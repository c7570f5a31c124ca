"""The generated docs/troubleshooting.md ("When things go wrong", linked from the README) names a test for each
guarantee: every named test must exist."""

from __future__ import annotations

import re

import pytest

from tests.helpers import bake

TEST_REFERENCE = re.compile(r"`((?:[\w/]+/)?test_\w+\.py)::(test_\w+)`")
VARIANTS = {
    "default": {},
    "sql-s3": {"data_source": "sql", "artifact_storage": "s3"},
    "mongodb-local-no-server": {"data_source": "mongodb", "serving": "none", "ci_provider": "none"},
}


@pytest.mark.parametrize("answers", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_guarantee_names_a_test_that_exists(cookies, answers) -> None:
    project = bake(cookies, **answers)
    page = (project / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
    section = page.split("# When things go wrong", 1)[1]

    references = TEST_REFERENCE.findall(section)

    assert len(references) >= 10, section
    for path, name in references:
        test_file = project / "tests" / path
        assert test_file.is_file(), f"docs/troubleshooting.md names {path}, which this project does not have"
        assert re.search(rf"^def {name}\(", test_file.read_text(encoding="utf-8"), re.M), f"{path}::{name} not found"
