"""Bad names are refused before anything is written, with one line that says what to type instead."""

from __future__ import annotations

import sys
import time

import pytest
from cookiecutter.exceptions import FailedHookException, OutputDirExistsException
from cookiecutter.main import cookiecutter

from tests.helpers import TEMPLATE_DIR, bake, run

BAD_ANSWERS = {
    "keyword": {"package_name": "class"},
    "stdlib-json": {"package_name": "json"},
    "stdlib-test": {"package_name": "test"},
    "leading-digit": {"package_name": "1sensor"},
    "dash-in-package": {"package_name": "my-pkg"},
    "empty-package": {"package_name": ""},
    "parent-dir-slug": {"project_slug": "../evil"},
    "upper-case-slug": {"project_slug": "Sensor Project"},
    "digits-only-name": {"project_name": "123"},
    "bad-email": {"author_email": "not an address"},
    "not-a-version": {"version": "first release"},
    "newline-in-author": {"author_name": "Ada\nLovelace"},
    "long-name": {"project_name": "Sensor " * 30, "project_slug": "sensors"},
    "300-character-name": {"project_name": "s" * 300},
    "tests-package": {"package_name": "tests"},
}
# cookiecutter itself refuses these before any hook runs (the directory name is empty or already exists).
REFUSED_BY_COOKIECUTTER = {"empty-slug": {"project_slug": ""}, "dot-dot-slug": {"project_slug": ".."}}


ALL_REFUSED = {
    **{name: (answers, FailedHookException) for name, answers in BAD_ANSWERS.items()},
    **{name: (answers, OutputDirExistsException) for name, answers in REFUSED_BY_COOKIECUTTER.items()},
}


@pytest.mark.parametrize(("answers", "refusal"), ALL_REFUSED.values(), ids=ALL_REFUSED.keys())
def test_bad_answer_is_refused_and_nothing_is_left(tmp_path, answers, refusal) -> None:
    output_dir = tmp_path / "out"
    output_dir.mkdir()

    with pytest.raises(refusal):
        cookiecutter(
            str(TEMPLATE_DIR),
            no_input=True,
            output_dir=str(output_dir),
            extra_context={"create_venv": False, "init_git": False, **answers},
        )

    # A slug like ../evil would land beside the output directory, so look one level up too.
    assert list(tmp_path.iterdir()) == [output_dir]
    assert list(output_dir.iterdir()) == []


def test_refusal_from_the_command_line_is_one_clear_line(tmp_path) -> None:
    result = run(
        [sys.executable, "-m", "cookiecutter", "--no-input", TEMPLATE_DIR, "-o", tmp_path, "package_name=json"],
        cwd=tmp_path,
        expect=None,
    )

    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: package_name 'json' shadows the standard library module json; answer e.g. package_name=json_model"
    ]
    assert list(tmp_path.iterdir()) == []


def test_slug_with_a_path_separator_is_refused_and_nothing_is_left(tmp_path) -> None:
    # cookiecutter creates out/a/b/c before the hook can refuse and removes only c; the hook leaves a process that
    # removes the empty b and a once c is gone.
    (tmp_path / "yours").mkdir()
    result = run(
        [sys.executable, "-m", "cookiecutter", "--no-input", TEMPLATE_DIR, "-o", tmp_path, "project_slug=a/b/c"],
        cwd=tmp_path,
        expect=1,
    )

    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    # One line: the package name derived from the slug is fixed by fixing the slug.
    assert len(errors) == 1 and errors[0].startswith("error: project_slug 'a/b/c' must be lower-case"), errors
    assert errors[0].endswith("answer e.g. project_slug=a-b-c")
    deadline = time.monotonic() + 30
    while (tmp_path / "a").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [path.name for path in tmp_path.iterdir()] == ["yours"]


def test_suggested_answer_is_accepted(cookies) -> None:
    project = bake(cookies, project_name="123", project_slug="sensors-123", package_name="sensor")

    assert (project / "sensor" / "cli.py").is_file()


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("project_name=" + "n" * 200, "error: project_name is 200 characters long; answer one of at most 100"),
        ("author_name=Ada\nLovelace", "error: author_name holds a line break or another control character"),
    ],
    ids=["long-name", "newline-author"],
)
def test_long_or_multiline_answers_are_refused_with_one_line(tmp_path, answer, expected) -> None:
    result = run(
        [sys.executable, "-m", "cookiecutter", "--no-input", TEMPLATE_DIR, "-o", tmp_path, answer],
        cwd=tmp_path,
        expect=1,
    )

    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(expected), result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
