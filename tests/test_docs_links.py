"""The generated README is a front page of at most 250 lines that links to docs/; every link resolves, in every bake."""

from __future__ import annotations

import re

import pytest

from tests.helpers import bake

README_MAX_LINES = 250
FENCED_BLOCK = re.compile(r"^```.*?^```", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.M)
VARIANTS = {
    "default": {},
    "sql-s3-mlflow": {"data_source": "sql", "artifact_storage": "s3", "experiment_tracking": "mlflow"},
    "mongodb-no-server-no-ci-no-docker": {
        "data_source": "mongodb",
        "serving": "none",
        "ci_provider": "none",
        "include_docker": False,
    },
}


def prose(text: str) -> str:
    """Markdown without its code: a `[x](y)` or a `# comment` inside code is neither a link nor a heading."""
    return INLINE_CODE.sub("", FENCED_BLOCK.sub("", text))


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as dashes."""
    return re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower()).replace(" ", "-")


def links_of(page):
    """(target file, fragment) of every relative link of a Markdown page."""
    for target in LINK.findall(prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, fragment = target.partition("#")
        yield (page.parent / path).resolve() if path else page.resolve(), fragment


@pytest.mark.parametrize("answers", VARIANTS.values(), ids=VARIANTS.keys())
def test_the_readme_is_a_front_page_whose_links_all_resolve(cookies, answers) -> None:
    project = bake(cookies, **answers)
    readme = project / "README.md"
    pages = [readme, *sorted((project / "docs").glob("*.md"))]

    lines = readme.read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines: move sections to docs/"
    for page in pages:
        for target, fragment in links_of(page):
            where = f"{page.relative_to(project)} links to {target.relative_to(project)}"
            assert target.is_file(), f"{where}, which does not exist"
            if fragment:
                anchors = {anchor(heading) for heading in HEADING.findall(prose(target.read_text(encoding="utf-8")))}
                assert fragment in anchors, f"{where}#{fragment}: no such heading (has {sorted(anchors)})"
    linked = {target for target, _ in links_of(readme)}
    assert not [page.name for page in pages[1:] if page.resolve() not in linked], "a docs page the README omits"
