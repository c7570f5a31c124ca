"""The generated README's and docs' bash blocks, and the template README's: each is run by the slow tier (```bash
runnable) or says what it needs that no test machine has (```bash needs-WHAT), and then the files it names exist.
The harness that runs the runnable ones (tests/helpers.py) is checked here on small pages."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.helpers import TEMPLATE_DIR, Block, bake, fenced_blocks, missing_output, run_blocks, runnable_blocks

# What a block may need, and why no test machine has it.
NEEDS = {
    "docker": "a Docker engine",
    "cluster": "a Kubernetes cluster with Spark",
    "spark": "pyspark from the network and Java (tests/test_spark.py runs predict --engine spark)",
    "mongodb": "a MongoDB server",
    "wrk": "wrk, GNU time, a 1.2M-row file and an idle machine (the template's benchmarks measure it)",
    "cruft": "a project created with cruft (tests/test_routes.py runs cruft check and update)",
    "your-data": "the user's own file and column",
}
# A path of the project a block names (a leading / or . is another machine's or the shell's).
PROJECT_PATH = re.compile(r"(?<![\w/.$-])((?:docker|k8s|scripts|data|config|docs|notebooks|\.github)/[\w./-]*\w)")
TEMPLATE_PATH = re.compile(r"(?<![\w/.$-])((?:benchmarks|scripts|hooks|tests|\.ci|\.github)/[\w./-]*\w)")
VARIANTS = {
    "default": {},
    "mongodb-mlflow": {"data_source": "mongodb", "experiment_tracking": "mlflow"},
    "sql-s3": {"data_source": "sql", "artifact_storage": "s3"},
    "no-docker-no-server": {"include_docker": False, "serving": "none", "ci_provider": "none"},
}


@pytest.mark.parametrize("answers", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_bash_block_runs_in_the_slow_tier_or_names_what_it_needs(cookies, answers) -> None:
    project = bake(cookies, **answers)
    pages = [project / "README.md", *sorted((project / "docs").glob("*.md"))]

    kinds = {}
    for page in pages:
        for block in fenced_blocks(page):
            if block.info.split(" ")[0] != "bash":
                continue
            kind = block.info.removeprefix("bash").strip()
            assert kind == "runnable" or kind.removeprefix("needs-") in NEEDS, f"{page.name}: ```{block.info}"
            kinds.setdefault(kind, []).append(page.name)
            if kind.startswith("needs-"):
                named = PROJECT_PATH.findall("\n".join(block.lines))
                assert [path for path in named if not (project / path).exists()] == [], f"{page.name}: {block.lines}"

    assert "runnable" in kinds and any(kind.startswith("needs-") for kind in kinds), kinds


def test_every_bash_block_of_the_template_readme_runs_in_the_slow_tier_or_names_what_it_needs() -> None:
    """The Quickstart and the routes run in tests/test_template_readme.py; the benchmarks need wrk and quiet."""
    kinds = []
    for block in fenced_blocks(TEMPLATE_DIR / "README.md"):
        if block.info.split(" ")[0] != "bash":
            continue
        kind = block.info.removeprefix("bash").strip()
        assert kind == "runnable" or kind.removeprefix("needs-") in NEEDS, f"```{block.info}"
        kinds.append(kind)
        named = TEMPLATE_PATH.findall("\n".join(block.lines))
        assert [path for path in named if not (TEMPLATE_DIR / path).exists()] == [], block.lines

    assert kinds.count("runnable") >= 2 and "needs-wrk" in kinds, kinds


def test_ci_runs_the_test_command_of_the_template_readme_quickstart() -> None:
    """Step 2 of the Quickstart, the whole suite, cannot run inside the suite: .ci/run runs that very command."""
    script = (TEMPLATE_DIR / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in script if line.strip() and not line.lstrip().startswith("#")]
    quickstart = [
        block
        for block in runnable_blocks(TEMPLATE_DIR / "README.md")
        if any("--output-dir .." in line for line in block.lines)
    ]
    assert len(quickstart) == 1

    assert commands[-1] == ".venv/bin/python -m pytest"
    assert commands[-1] in [line.split("#")[0].strip() for line in quickstart[0].lines]


def test_shown_output_matches_line_by_line_with_dots_for_any_text() -> None:
    printed = "run 2026 finished, f1=0.81: promoted as v0001 (beats it)\n* v0001  2026-12-06  f1=0.81\n"

    assert missing_output(["run ... f1=...: promoted as v0001 (...)", "* v0001  ...  f1=..."], printed) == []
    # The parts in order, within one line.
    assert missing_output(["promoted as v0002", "v0001 ... run", "(beats ... f1"], printed) == [
        "promoted as v0002",
        "v0001 ... run",
        "(beats ... f1",
    ]


def test_output_blocks_belong_to_the_block_before_them(tmp_path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n```bash runnable\necho one\n```\n\nIt prints:\n\n```text output\none\n```\n\n"
        "```bash needs-docker\ndocker build .\n```\n\n```text\nnot output\n```\n"
    )

    assert fenced_blocks(page) == [
        Block("bash runnable", ["echo one"], ["one"]),
        Block("bash needs-docker", ["docker build ."]),
        Block("text", ["not output"]),
    ]


@pytest.mark.skipif(shutil.which("bash") is None, reason="the runnable blocks are bash; the slow tier runs on Linux")
def test_run_blocks_fails_on_output_not_shown_and_on_a_failing_line(tmp_path) -> None:
    outputs = run_blocks(
        [Block("bash runnable", ["echo one"], ["one"]), Block("bash runnable", ["echo two"])], tmp_path
    )
    assert [output.strip() for output in outputs] == ["one", "two"]

    with pytest.raises(AssertionError, match="not printed: \\['three'\\]"):
        run_blocks([Block("bash runnable", ["echo two"], ["three"])], tmp_path)
    with pytest.raises(AssertionError, match="block 1 exited 3"):
        run_blocks([Block("bash runnable", ["true"]), Block("bash runnable", ["(exit 3)", "echo never"])], tmp_path)
