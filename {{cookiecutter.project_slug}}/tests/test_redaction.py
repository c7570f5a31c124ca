"""Credentials never reach a message: every URL form, with passwords holding the characters that break parsers."""

from __future__ import annotations
{% if cookiecutter.data_source != "csv" or cookiecutter.artifact_storage == "s3" or cookiecutter.experiment_tracking == "mlflow" %}
{%- if cookiecutter.data_source == "sql" or cookiecutter.experiment_tracking == "mlflow" %}
import re
{%- endif %}
from pathlib import Path
{% endif %}
{% if cookiecutter.artifact_storage == "s3" -%}
import boto3
{% endif -%}
import pytest

{% if cookiecutter.data_source != "csv" or cookiecutter.artifact_storage == "s3" or cookiecutter.experiment_tracking == "mlflow" -%}
from {{ cookiecutter.package_name }}.cli import main
{% endif -%}
{% if cookiecutter.artifact_storage == "s3" -%}
from {{ cookiecutter.package_name }}.configuration import load_settings
{% endif -%}
from {{ cookiecutter.package_name }}.utils.redaction import redact

# Raw (not percent-encoded) passwords, each with one of the characters that end a field in a URL parser.
HARD_PASSWORDS = ["ret@t", "se:cr:et", "pa/ss/wd", "100%sure", "hash#tag", "a@b:c/d%e#f?g&h", "p%40ss"]
URL_FORMS = [
    "postgresql://sensor:{password}@127.0.0.1:5432/sensor",
    "postgresql+psycopg://sensor:{password}@db.internal/sensor?sslmode=require",
    "mysql+pymysql://sensor:{password}@[::1]:3306/sensor",
    "mongodb://sensor:{password}@host-a:27017,host-b:27017/sensor?replicaSet=rs0",
    "mongodb+srv://sensor:{password}@cluster0.example.net/sensor",
    "https://sensor:{password}@example.com/path",
    "https://{password}@example.com/path",
    "postgresql://sensor@127.0.0.1/sensor?password={password}",
]


@pytest.mark.parametrize("password", HARD_PASSWORDS)
@pytest.mark.parametrize(
    "form", URL_FORMS, ids=lambda form: form.split("://")[0] + ("-query" if "?password" in form else "-userinfo")
)
def test_no_part_of_a_hard_password_survives(form: str, password: str) -> None:
    url = form.format(password=password)
    message = f"cannot connect to {url}: check DATABASE_URL; also tried '{url}' (and {url})"

    shown = redact(message)

    assert password not in shown
    for piece in [part for part in password.replace("%", "@").split("@") if len(part) >= 3]:
        assert piece not in shown, piece
    assert "***" in shown


def test_the_host_and_the_user_are_still_shown() -> None:
    shown = redact("cannot connect to postgresql://sensor:ret@t@127.0.0.1:5432/sensor")

    assert shown == "cannot connect to postgresql://sensor:***@127.0.0.1:5432/sensor"


def test_text_without_credentials_is_unchanged() -> None:
    text = "sqlite:///data/sensor.db and https://example.com/a?b=c and plain words"

    assert redact(text) == text


@pytest.mark.parametrize("password", ["p", "pw"])
def test_a_password_of_a_character_or_two_is_hidden_where_it_stands_not_in_every_word(password, monkeypatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"https://sensor:{password}@127.0.0.1:5000")

    shown = redact(f"Unsupported port in https://sensor:{password}@127.0.0.1:5000 (got '{password}', pwd_{password})")

    assert shown == "Unsupported port in https://sensor:***@127.0.0.1:5000 (got '***', pwd_***)"
{%- if cookiecutter.data_source != "csv" or cookiecutter.artifact_storage == "s3" or cookiecutter.experiment_tracking == "mlflow" %}


def _leaks(secret: str, *roots: Path, texts: tuple[str, ...] = ()) -> list[str]:
    """Every file under the roots (logs, artifacts, models, reports) and every text that holds the secret."""
    found = [
        str(path)
        for root in roots
        if root.exists()
        for path in root.rglob("*")
        if path.is_file() and secret.encode() in path.read_bytes()
    ]
    return found + [text[:80] for text in texts if secret in text]
{%- endif %}
{%- if cookiecutter.data_source != "csv" %}


@pytest.mark.parametrize("password", HARD_PASSWORDS)
def test_the_connection_password_is_never_printed_logged_or_stored(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], password: str
) -> None:
{%- if cookiecutter.data_source == "sql" %}
    # Nothing listens on port 9: the run fails, and its error message names the URL.
    monkeypatch.setenv("DATABASE_URL", f"postgresql://sensor:{password}@127.0.0.1:9/sensor")
{%- else %}
    monkeypatch.setenv("MONGODB_URL", f"mongodb://sensor:{password}@127.0.0.1:27017/?authSource=admin")
{%- endif %}

    code = main(["--log-level", "DEBUG", "train"])

    captured = capsys.readouterr()
    assert code in {0, 1, 2}
    assert not _leaks(
        password, project / "logs", project / "artifacts", project / "models", texts=(captured.out, captured.err)
    )
{%- endif %}
{%- if cookiecutter.artifact_storage == "s3" %}


def test_the_aws_secret_key_is_never_printed_logged_or_uploaded(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "wJalr/XUtnFEMI%K7MDENG#bPxRfi@CYEXAMPLEKEY"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)

    assert main(["--log-level", "DEBUG", "train"]) == 0

    captured = capsys.readouterr()
    storage = load_settings(project).config.storage.s3
    client = boto3.client("s3")
    stored = [
        client.get_object(Bucket=storage.bucket, Key=item["Key"])["Body"].read().decode("utf-8", "replace")
        for item in client.list_objects_v2(Bucket=storage.bucket).get("Contents", [])
    ]
    assert stored, "nothing was uploaded: the test would prove nothing"
    assert not _leaks(
        secret, project / "logs", project / "artifacts", project / "models", texts=(captured.out, captured.err, *stored)
    )
{%- endif %}

{%- if cookiecutter.data_source == "sql" or cookiecutter.experiment_tracking == "mlflow" %}


# Raw passwords that break the URL parser itself: it then quotes a piece of them in its own error message.
MALFORMED_PASSWORDS = ["se@cr:et123", "pa[ss:w0rd", "p@ss:w0rd/x?y#z&w"]


def _assert_hidden(password: str, project: Path, captured: pytest.CaptureResult[str]) -> None:
    """No trace of the password or of a piece of it between URL delimiters, and one error line, no traceback."""
    pieces = [password, *[piece for piece in re.split(r"[@:/?#&\[\]%]", password) if len(piece) >= 3]]
    for piece in pieces:
        texts = (captured.out, captured.err)
        assert not _leaks(piece, project / "logs", project / "artifacts", project / "models", texts=texts), piece
    assert "Traceback" not in captured.err
    assert len([line for line in captured.err.splitlines() if line.startswith("error: ")]) == 1, captured.err
{%- endif %}
{%- if cookiecutter.data_source == "sql" %}


@pytest.mark.parametrize("password", MALFORMED_PASSWORDS)
@pytest.mark.parametrize(
    "command",
    [["train"], ["tune", "--trials", "1"], ["schema", "--from-source", "--target", "class"]],
    ids=lambda command: command[0],
)
def test_a_database_url_its_parser_cannot_read_is_refused_without_its_password(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    password: str,
    command: list[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://sensor:{password}@127.0.0.1:9/sensor")

    code = main(["--log-level", "DEBUG", *command])

    assert code in {1, 2}
    _assert_hidden(password, project, capsys.readouterr())
{%- endif %}
{%- if cookiecutter.experiment_tracking == "mlflow" %}


@pytest.mark.parametrize("password", MALFORMED_PASSWORDS)
@pytest.mark.parametrize(
    "command", [["train"], ["tune", "--trials", "1"], ["promote", "v0001"]], ids=lambda command: command[0]
)
def test_a_tracking_uri_its_parser_cannot_read_is_refused_without_its_password(
    trained: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    password: str,
    command: list[str],
) -> None:
    # Nothing listens on port 9; one attempt, not MLflow's minutes of retries.
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://sensor:{password}@127.0.0.1:9")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "5")

    code = main(["--log-level", "DEBUG", *command])

    assert code in {1, 2}
    _assert_hidden(password, trained, capsys.readouterr())
{%- endif %}
