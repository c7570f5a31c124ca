"""Bad input and bad configuration, as a careless or hostile user gives them: every case ends with the right
exit code and one line on stderr saying what is wrong, never a traceback, never a partial output file, and
the production model exactly as it was."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.constants import HOME_ENV_VAR

SAMPLE = Path("data") / "raw" / "sensor_sample.csv"
INPUT, OUTPUT = "input.csv", "out/predictions.csv"
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")
Setup = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    id: str
    argv: list[str]
    code: int
    setups: tuple[Setup, ...] = ()
    trained: bool = True
    words: str = ""
    extra: dict = field(default_factory=dict)


# --- what each case does to the project before the command runs -----------------------------------------------


def edit(name: str, old: str, new: str) -> Setup:
    def apply(project: Path) -> None:
        path = project / "config" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def write_config(name: str, content: bytes) -> Setup:
    return lambda project: (project / "config" / name).write_bytes(content)


def delete(relative: str) -> Setup:
    return lambda project: (project / relative).unlink()


def rows(count: int = 5, target: bool = False) -> pd.DataFrame:
    frame = pd.read_csv(Path(__file__).resolve().parent.parent / SAMPLE, dtype=str, keep_default_na=False)
    frame = frame.head(count)
    return frame if target else frame.drop(columns=["class"])


def input_frame(change: Callable[[pd.DataFrame], pd.DataFrame] = lambda frame: frame, target: bool = False) -> Setup:
    return lambda project: change(rows(target=target)).to_csv(project / INPUT, index=False)


def input_text(text: str) -> Setup:
    return lambda project: (project / INPUT).write_text(text, encoding="utf-8")


def input_bytes(content: bytes) -> Setup:
    return lambda project: (project / INPUT).write_bytes(content)


def value(column: str, raw: str, target: bool = False) -> Setup:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[2, column] = raw
        return frame

    return input_frame(change, target)


def production_file(relative: str, content: bytes) -> Setup:
    return lambda project: (project / "models" / "production" / relative).write_bytes(content)


PREDICT = ["predict", "--input", INPUT, "--output", OUTPUT]
EVALUATE = ["evaluate", "--input", INPUT]

# One case a line or two, read as a table: the formatter would give each argument its own line.
# fmt: off
CASES = [
    # configuration files (exit 2, before anything runs)
    Case("config-malformed-yaml", ["train"], 2, (write_config("config.yaml", b"storage: [unclosed\n"),), False,
         "not valid YAML"),
    Case("config-not-utf8", ["train"], 2, (write_config("config.yaml", b"\xff\xfe\x00bad"),), False),
    Case("config-empty", ["train"], 2, (write_config("config.yaml", b""),), False),
    Case("config-a-list", ["train"], 2, (write_config("config.yaml", b"- a\n- b\n"),), False, "mapping"),
    Case("config-missing", ["train"], 2, (delete("config/config.yaml"),), False),
    Case("config-random-state-text", ["train"], 2,
         (edit("config.yaml", "random_state: 42 ", "random_state: forty-two "),), False, "random_state"),
    Case("config-test-size-above-1", ["train"], 2, (edit("config.yaml", "test_size: 0.2", "test_size: 1.5"),), False,
         "test_size"),
    Case("config-test-size-text", ["train"], 2, (edit("config.yaml", "test_size: 0.2", "test_size: fifth"),), False),
    Case("config-oversample-string", ["train"], 2,
         (edit("config.yaml", "oversample_minority: true", 'oversample_minority: "perhaps"'),), False,
         "oversample_minority"),
    Case("config-production-dir-number", ["train"], 2,
         (edit("config.yaml", "production_dir: models/production", "production_dir: 17"),), False, "production_dir"),
    Case("config-unknown-key", ["train"], 2, (edit("config.yaml", "test_size: 0.2", "test_size: 0.2\n  tset: 1"),),
         False, "tset"),
    Case("config-metric-unknown", ["train"], 2, (edit("config.yaml", "metric: f1", "metric: f2"),), False, "metric"),
    Case("config-standard-errors-text", ["train"], 2,
         (edit("config.yaml", "standard_errors: 1.0", "standard_errors: high"),), False),
    Case("config-psi-negative", ["train"], 2, (edit("config.yaml", "psi_threshold: 0.2", "psi_threshold: -1"),),
         False),
    Case("config-missing-fraction-above-1", ["train"], 2,
         (edit("config.yaml", "max_missing_fraction: 0.7", "max_missing_fraction: 2"),), False),
    Case("config-section-missing", ["train"], 2,
         (edit("config.yaml", "data_ingestion:\n", "unused_section:\n"),), False),
{%- if cookiecutter.serving == "fastapi" %}
    Case("config-port-text", ["train"], 2, (edit("config.yaml", "port: 8000", "port: eighty"),), False, "port"),
    Case("config-port-out-of-range", ["train"], 2, (edit("config.yaml", "port: 8000", "port: 70000"),), False),
    Case("config-max-rows-zero", ["train"], 2, (edit("config.yaml", "max_rows: 1000", "max_rows: 0"),), False),
    Case("config-max-body-bytes-too-small", ["train"], 2,
         (edit("config.yaml", "max_body_bytes: 4194304", "max_body_bytes: 10"),), False, "max_body_bytes"),
    Case("config-model-poll-zero", ["train"], 2,
         (edit("config.yaml", "model_poll_seconds: 30", "model_poll_seconds: 0"),), False, "model_poll_seconds"),
{%- endif %}
    Case("model-config-unknown-estimator", ["train"], 2,
         (edit("model_config.yaml", "estimator: {{ 'random_forest' if cookiecutter.model_library == 'scikit-learn' else cookiecutter.model_library }}", "estimator: magic"),), False, "magic"),
    Case("model-config-unknown-parameter", ["train"], 2,
         (edit("model_config.yaml", "min_samples_leaf: 5", "min_samples_leaf: 5\n    leafs: 3"),), False, "leafs"),
    Case("model-config-malformed", ["train"], 2, (write_config("model_config.yaml", b"params: {\n"),), False),
    Case("schema-malformed", ["predict", "--input", INPUT, "--output", OUTPUT], 2,
         (write_config("schema.yaml", b"columns: [\n"),), False),
    Case("schema-target-is-a-column", ["train"], 2,
         (edit("schema.yaml", "  aa_000: numeric", "  class: numeric"),), False, "class"),
    Case("schema-no-columns", ["train"], 2, (write_config("schema.yaml", b"target: {column: class, positive: pos, "
                                                                          b"negative: neg}\ncolumns: {}\n"),), False),
    Case("logging-config-bad-handler", ["train"], 2,
         (edit("logging_config.yaml", "class: logging.StreamHandler", "class: logging.NoSuchHandler"),), False),
    Case("logging-config-malformed", ["train"], 2, (write_config("logging_config.yaml", b"handlers: [\n"),), False),
    # the command line itself
    Case("log-level-unknown", ["--log-level", "LOUD", "train"], 2, trained=False, words="LOUD"),
    Case("command-unknown", ["fly"], 2, trained=False, words="fly"),
    Case("no-command", [], 2, trained=False),
    Case("predict-without-input", ["predict", "--output", OUTPUT], 2, trained=False, words="--input"),
    Case("promote-without-version", ["promote"], 2, trained=False, words="version"),
    Case("models-extra-argument", ["models", "extra"], 2, trained=False),
    Case("promote-extra-argument", ["promote", "v0001", "v0002"], 2, trained=False),
{%- if cookiecutter.serving == "fastapi" %}
    Case("serve-port-text", ["serve", "--port", "eighty"], 2, trained=False, words="eighty"),
{%- endif %}
    # prediction input (exit 2)
    Case("predict-input-missing", PREDICT, 2, words="not found"),
    Case("predict-input-is-a-directory", PREDICT, 2, (lambda project: (project / INPUT).mkdir(),)),
    Case("predict-input-empty-file", PREDICT, 2, (input_text(""),)),
    Case("predict-header-only", PREDICT, 2, (input_frame(lambda frame: frame.head(0)),), words="no rows"),
    Case("predict-binary-garbage", PREDICT, 2, (input_bytes(b"\x00\xff\xfe\x89PNG\r\n\x1a\n" * 50),)),
    Case("predict-ragged-rows", PREDICT, 2, (input_text("aa_000,ab_000\n1,2\n1,2,3,4,5\n"),)),
    Case(
        "predict-missing-column",
        PREDICT,
        2,
        (input_frame(lambda frame: frame.drop(columns=["aa_000"])),),
        words="aa_000",
    ),
    Case("predict-text-in-a-number-column", PREDICT, 2, (value("ab_000", "abc"),), words="ab_000"),
    Case("predict-inf", PREDICT, 2, (value("ab_000", "inf"),), words="ab_000"),
    Case("predict-minus-infinity", PREDICT, 2, (value("ab_000", "-Infinity"),), words="ab_000"),
    Case("predict-1e309", PREDICT, 2, (value("ab_000", "1e309"),), words="ab_000"),
    Case("predict-10-to-the-400", PREDICT, 2, (value("ab_000", "1" + "0" * 400),), words="ab_000"),
    Case(
        "predict-output-is-the-input",
        ["predict", "--input", INPUT, "--output", INPUT],
        2,
        (input_frame(),),
        words="--output",
    ),
    Case(
        "predict-output-is-the-input-by-another-path",
        ["predict", "--input", INPUT, "--output", "./out/../" + INPUT],
        2,
        (input_frame(),),
        words="--output",
    ),
    Case(
        "predict-output-is-a-directory",
        ["predict", "--input", INPUT, "--output", "out"],
        2,
        (input_frame(), lambda project: (project / "out").mkdir()),
    ),
    # evaluation input (exit 2)
    Case("evaluate-unknown-label", EVALUATE, 2, (value("class", "maybe", target=True),), words="maybe"),
    Case("evaluate-missing-label", EVALUATE, 2, (value("class", "", target=True),), words="without a label"),
    Case("evaluate-no-target-column", EVALUATE, 2, (input_frame(),), words="class"),
    Case(
        "evaluate-header-only", EVALUATE, 2, (input_frame(lambda frame: frame.head(0), target=True),), words="no rows"
    ),
    Case("evaluate-1e309", EVALUATE, 2, (value("ab_000", "1e309", target=True),), words="ab_000"),
    Case("evaluate-input-missing", EVALUATE, 2, words="not found"),
    # production models that are missing or damaged (exit 1: nothing the user typed is wrong)
    Case("predict-before-any-training", PREDICT, 1, (input_frame(),), trained=False, words="train"),
    Case("evaluate-before-any-training", EVALUATE, 1, (input_frame(target=True),), trained=False, words="train"),
    Case("promote-unknown-version", ["promote", "v0009"], 1, words="v0009"),
    Case("promote-a-path", ["promote", "../../etc"], 1, words="etc"),
    Case("promote-before-any-training", ["promote", "v0001"], 1, trained=False),
    Case(
        "predict-current-names-a-missing-version",
        PREDICT,
        1,
        (input_frame(), production_file("CURRENT", b"v0042\n")),
        words="v0042",
    ),
    Case(
        "predict-damaged-model-file",
        PREDICT,
        1,
        (input_frame(), production_file("v0001/model.joblib", b"junk")),
        words="model",
    ),
    Case(
        "predict-truncated-model-file",
        PREDICT,
        1,
        (input_frame(), lambda project: _truncate(project / "models" / "production" / "v0001" / "model.joblib")),
        words="model",
    ),
    Case(
        "models-damaged-metadata", ["models"], 1, (production_file("v0001/metadata.json", b"{not json"),), words="v0001"
    ),
    Case(
        "models-metadata-not-an-object",
        ["models"],
        1,
        (production_file("v0001/metadata.json", b"[1, 2]"),),
        words="v0001",
    ),
    Case(
        "predict-damaged-metadata",
        PREDICT,
        1,
        (input_frame(), production_file("v0001/metadata.json", b"[")),
        words="v0001",
    ),
]
# fmt: on


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


def _snapshot(project: Path) -> dict[str, bytes]:
    production = project / "models" / "production"
    if not production.exists():
        return {}
    return {
        str(path.relative_to(production)): path.read_bytes() if path.is_file() else b"<dir>"
        for path in sorted(production.rglob("*"))
        if path.name != ".promotion.lock"
    }


@pytest.fixture(scope="module")
def production_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """models/production of one training run, copied into every case that needs a trained project."""
    return tmp_path_factory.mktemp("production-cache") / "production"


@pytest.fixture
def ready(project: Path, production_cache: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> Callable:
    monkeypatch.chdir(project)

    def prepare(case: Case) -> None:
        if case.trained:
            if not production_cache.exists():
                assert main(["train"]) == 0
                shutil.copytree(project / "models" / "production", production_cache)
            else:
                shutil.copytree(production_cache, project / "models" / "production", dirs_exist_ok=True)
        for setup in case.setups:
            setup(project)
        capsys.readouterr()

    return prepare


def _error_lines(stderr: str) -> list[str]:
    """stderr without the log lines the run wrote before it stopped."""
    return [line for line in stderr.splitlines() if line.strip() and not LOG_LINE.match(line)]


def test_there_are_at_least_60_cases() -> None:
    assert len(CASES) >= 60
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_bad_input_or_configuration_fails_cleanly(
    case: Case, project: Path, ready: Callable, capsys: pytest.CaptureFixture[str]
) -> None:
    ready(case)
    before = _snapshot(project)
    input_before = (project / INPUT).read_bytes() if (project / INPUT).is_file() else None

    code = main(case.argv)

    captured = capsys.readouterr()
    errors = _error_lines(captured.err)
    assert code == case.code, captured.err
    assert "Traceback" not in captured.err + captured.out
    assert len(errors) == 1, captured.err
    assert errors[0].startswith("error: "), errors[0]
    assert case.words in errors[0]
    assert not (project / OUTPUT).exists()
    assert not list((project).glob("**/.*.tmp"))
    if input_before is not None:
        assert (project / INPUT).read_bytes() == input_before
    assert _snapshot(project) == before


@pytest.mark.parametrize(
    ("argv", "setup", "code"),
    [
        (["--log-level", "LOUD", "models"], None, 2),
        (["train"], edit("config.yaml", "random_state: 42 ", "random_state: forty-two "), 2),
        (PREDICT, value("ab_000", "1e309"), 2),
    ],
    ids=["bad-log-level", "config-type", "predict-1e309"],
)
def test_the_installed_command_fails_cleanly_too(
    project: Path, argv: list[str], setup: Setup | None, code: int
) -> None:
    """The same through a real process: what a shell script or a CronJob sees."""
    if setup is not None:
        setup(project)
    environment = {**os.environ, HOME_ENV_VAR: str(project)}

    finished = subprocess.run(
        [sys.executable, "-m", "{{ cookiecutter.package_name }}", *argv],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    errors = _error_lines(finished.stderr)
    assert finished.returncode == code, finished.stderr
    assert "Traceback" not in finished.stderr
    assert len(errors) == 1, finished.stderr
    assert errors[0].startswith("error: ")
    assert not (project / OUTPUT).exists()
