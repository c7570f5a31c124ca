"""One row per class of bad input a hostile pass found accepted, silently wrong or ending in a traceback: each is
now refused with exit code 2 and one line that names what to fix, and leaves what it was pointed at alone."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
{%- if cookiecutter.serving == "fastapi" %}
import uvicorn
{%- endif %}

from {{ cookiecutter.package_name }}.cli import build_parser, main
from {{ cookiecutter.package_name }}.configuration import load_settings

SAMPLE = Path("data") / "raw" / "sensor_sample.csv"
INPUT, OUTPUT = "input.csv", "predictions.csv"
PREDICT = ["predict", "--input", INPUT, "--output", OUTPUT]
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")
Setup = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    id: str
    argv: list[str]
    words: tuple[str, ...]  # each in the one error line
    setup: Setup | None = None
    trained: bool = False  # v0001 in production first


def edit(name: str, old: str, new: str) -> Setup:
    def apply(project: Path) -> None:
        path = project / "config" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def append(name: str, text: str) -> Setup:
    def apply(project: Path) -> None:
        path = project / "config" / name
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return apply


def input_with(column: str, raw: str) -> Setup:
    """Five sample rows without the target, one value of `column` written as `raw`."""

    def apply(project: Path) -> None:
        frame = pd.read_csv(project / SAMPLE, dtype=str, keep_default_na=False).drop(columns=["class"]).head(5)
        frame.loc[2, column] = raw
        frame.to_csv(project / INPUT, index=False, encoding="utf-8")

    return apply


def output_is(make: Callable[[Path], None]) -> Setup:
    """A valid input, and an --output that `make` turns into something other than a regular file or a new path."""

    def apply(project: Path) -> None:
        input_with("aa_000", "1")(project)
        make(project / OUTPUT)

    return apply


def fifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)


def link_to(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        if target:
            (path.parent / target).write_text("kept\n", encoding="utf-8")
        try:
            path.symlink_to(target or "nowhere.csv")
        except OSError:  # Windows without the right to make links
            pytest.skip("cannot make symbolic links here")

    return make


def current_in_utf16(project: Path) -> None:
    """CURRENT as Windows PowerShell 5's `"v0001" | Out-File CURRENT` writes it."""
    production = project / "models" / "production"
    production.mkdir(parents=True, exist_ok=True)
    (production / "CURRENT").write_bytes("v0001\r\n".encode("utf-16"))


def both(first: Setup, second: Setup) -> Setup:
    def apply(project: Path) -> None:
        first(project)
        second(project)

    return apply


# fmt: off
CASES = [
    # arguments
{%- if cookiecutter.serving == "fastapi" %}
    Case("serve-port-above-65535", ["serve", "--port", "99999"], ("--port", "99999 is outside 1-65535")),
    Case("serve-port-zero", ["serve", "--port", "0"], ("--port", "0 is outside 1-65535")),
    Case("serve-port-with-underscores", ["serve", "--port", "8_000"], ("--port", "'8_000' is not a whole number")),
    Case("serve-port-with-spaces", ["serve", "--port", " 80"], ("--port", "' 80' is not a whole number")),
    Case("serve-workers-arabic-indic", ["serve", "--workers", "٢"], ("--workers", "'٢' is not a whole number")),
{%- endif %}
    Case("tune-timeout-negative", ["tune", "--timeout", "-5"], ("--timeout", "-5 is not a number of seconds above 0")),
    Case("tune-timeout-nan", ["tune", "--timeout", "nan"], ("--timeout", "nan is not a number of seconds above 0")),
    Case("tune-timeout-underscores", ["tune", "--timeout", "1_0"],
         ("--timeout", "1_0 is not a number of seconds above 0")),
    Case("tune-trials-arabic-indic", ["tune", "--trials", "\u0661\u0660"],
         ("--trials", "'\u0661\u0660' is not a whole number")),
    Case("predict-chunk-rows-underscores", [*PREDICT, "--chunk-rows", "1_000"],
         ("--chunk-rows", "'1_000' is not a whole number")),
{%- if cookiecutter.data_source != "csv" %}
    Case("schema-sample-rows-zero", ["schema", "--from-source", "--target", "class", "--sample-rows", "0"],
         ("--sample-rows", "0 is outside 1-100000000")),
    Case("schema-sample-rows-negative", ["schema", "--from-source", "--target", "class", "--sample-rows", "-5"],
         ("--sample-rows", "-5 is outside 1-100000000")),
{%- endif %}
    # configuration: a yes/no where a number belongs, a key given twice
    Case("config-true-for-an-int", ["train"], ("data_ingestion.random_state", "not true/false"),
         edit("config.yaml", "random_state: 42 ", "random_state: true ")),
{%- if cookiecutter.serving == "fastapi" %}
    Case("config-true-for-the-port", ["train"], ("serving.port", "not true/false"),
         edit("config.yaml", "port: 8000", "port: true")),
{%- endif %}
    # configuration: numbers as YAML 1.1 reads them (1:20 is 80, 0x2A is 42) or as pydantic reads text (1_000)
    Case("config-sexagesimal-for-an-int", ["train"], ("data_ingestion.random_state", "the digits 0-9", "'1:20'"),
         edit("config.yaml", "random_state: 42 ", "random_state: 1:20 ")),
    Case("config-hex-for-an-int", ["train"], ("data_ingestion.random_state", "the digits 0-9", "'0x2A'"),
         edit("config.yaml", "random_state: 42 ", "random_state: 0x2A ")),
    Case("config-underscores-for-a-float", ["train"], ("data_ingestion.test_size", "the digits 0-9", "'0.2_5'"),
         edit("config.yaml", "test_size: 0.2", "test_size: 0.2_5")),
    Case("config-quoted-underscores-for-an-int", ["train"], ("data_ingestion.random_state", "'4_2'"),
         edit("config.yaml", "random_state: 42 ", 'random_state: "4_2" ')),
    Case("config-duplicate-key", ["train"], ("config/config.yaml", "the key 'test_size' is given twice"),
         edit("config.yaml", "  test_size: 0.2", "  test_size: 0.3\n  test_size: 0.2")),
    Case("model-config-duplicate-key", ["train"], ("config/model_config.yaml", "the key 'estimator' is given twice"),
         append("model_config.yaml", "estimator: random_forest\n")),
    # numbers as float() reads them but a CSV file does not write them
    Case("predict-number-with-underscores", PREDICT, ("aa_000", "'1_000'"), input_with("aa_000", "1_000"), True),
    Case("predict-arabic-indic-digits", PREDICT, ("aa_000", "'١٢'"), input_with("aa_000", "١٢"), True),
    # an --output that is not a regular file or a new path: renaming over it would replace it
    Case("predict-output-fifo", PREDICT, ("--output", "not a regular file"), output_is(fifo)),
    Case("predict-output-symlink", PREDICT, ("--output", "is a symbolic link (to target.csv)"),
         output_is(link_to("target.csv"))),
    Case("predict-output-dangling-symlink", PREDICT, ("--output", "is a symbolic link"), output_is(link_to(""))),
    # a CURRENT that is not UTF-8
    Case("models-current-in-utf16", ["models"], ("CURRENT is not UTF-8 text",), current_in_utf16),
    Case("predict-current-in-utf16", PREDICT, ("CURRENT is not UTF-8 text",),
         both(input_with("aa_000", "1"), current_in_utf16)),
    Case("train-current-in-utf16", ["train"], ("CURRENT is not UTF-8 text",), current_in_utf16),
]
# fmt: on


def _kinds(project: Path) -> dict[str, str]:
    """What each file the command could touch is, as lstat sees it (a link stays a link)."""
    found = {}
    for path in [project / OUTPUT, project / "target.csv", project / "models" / "production" / "CURRENT"]:
        if os.path.lexists(path):
            found[path.name] = "link" if path.is_symlink() else "fifo" if path.is_fifo() else path.read_text("latin-1")
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_bad_input_class_is_refused_in_one_line(
    case: Case,
    project: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(project)
    if case.trained:
        request.getfixturevalue("trained")
    if case.setup is not None:
        case.setup(project)
    before = _kinds(project)
    capsys.readouterr()

    code = main(case.argv)

    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.strip() and not LOG_LINE.match(line)]
    assert code == 2, captured.err
    assert "Traceback" not in captured.out + captured.err
    assert len(errors) == 1, captured.err
    assert errors[0].startswith("error: "), errors[0]
    for words in case.words:
        assert words in errors[0]
    assert _kinds(project) == before


@pytest.mark.parametrize(
    ("written", "read"),
    [("random_state: 010 ", 10), ("random_state: +7 ", 7), ("test_size: 2.5e-1", 0.25), ("test_size: .3", 0.3)],
)
def test_numbers_in_config_are_read_as_written(project: Path, written: str, read: float) -> None:
    """010 is ten, not YAML 1.1's octal eight; 2.5e-1 is a number, not YAML 1.1's text."""
    old = "random_state: 42 " if written.startswith("random_state") else "test_size: 0.2"
    edit("config.yaml", old, written)(project)

    section = load_settings(project).config.data_ingestion

    assert getattr(section, written.partition(":")[0]) == read


@pytest.mark.parametrize(
    ("argv", "option", "value"),
    [
        (["tune", "--timeout", "2.5e1"], "timeout", 25.0),
        (["tune", "--timeout", ".5"], "timeout", 0.5),
        (["tune", "--trials", "+7"], "trials", 7),
        (["predict", "--input", INPUT, "--output", OUTPUT, "--chunk-rows", "0012000"], "chunk_rows", 12000),
    ],
)
def test_numbers_in_digits_0_to_9_are_taken(argv: list[str], option: str, value: float) -> None:
    assert getattr(build_parser().parse_args(argv), option) == value


{%- if cookiecutter.serving == "fastapi" %}


def current_is_a_directory(project: Path) -> None:
    (project / "models" / "production" / "CURRENT").unlink()
    (project / "models" / "production" / "CURRENT").mkdir()


def current_names_a_missing_version(project: Path) -> None:
    (project / "models" / "production" / "CURRENT").write_text("v0042\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("setup", "code", "words"),
    [
        (current_in_utf16, 2, "CURRENT is not UTF-8 text"),
        (current_is_a_directory, 1, "Is a directory"),
        (current_names_a_missing_version, 1, "no production model version 'v0042'"),
    ],
    ids=["utf16", "a-directory", "a-missing-version"],
)
def test_serve_with_workers_refuses_an_unreadable_current_before_starting_them(
    setup: Setup,
    code: int,
    words: str,
    trained: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(args))
    monkeypatch.chdir(trained)
    setup(trained)
    capsys.readouterr()

    assert main(["serve", "--workers", "2"]) == code

    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.strip() and not LOG_LINE.match(line)]
    assert started == [], "workers were started"
    assert "Traceback" not in captured.out + captured.err
    assert len(errors) == 1, captured.err
    assert errors[0].startswith("error: ")
    assert words in errors[0]
{%- endif %}


def test_promote_rewrites_a_current_that_is_not_utf8(trained: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the refusal tells the user to run."""
    monkeypatch.chdir(trained)
    current_in_utf16(trained)

    assert main(["promote", "v0001"]) == 0
    assert (trained / "models" / "production" / "CURRENT").read_text(encoding="utf-8") == "v0001\n"
    assert main(["models"]) == 0
