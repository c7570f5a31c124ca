"""Training data from a SQL table or query through SQLAlchemy; the URL comes from DATABASE_URL.

Without DATABASE_URL the configured default is used: an SQLite file inside the project, so this source
works with no database server at all.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, ProgrammingError, SQLAlchemyError

from ..constants import DATABASE_URL_ENV_VAR
from ..exception import ConfigError, InputError, StorageError
from ..logger import get_logger
from ..utils.redaction import PERCENT_ENCODING_HINT, redact

logger = get_logger(__name__)

# How each database orders rows at random, by SQLAlchemy backend name; other databases give their first rows.
RANDOM_ORDER = {"sqlite": "RANDOM()", "postgresql": "RANDOM()", "mysql": "RAND()", "mariadb": "RAND()"}


def resolve_sqlite_path(url: str, project_root: Path) -> str:
    """A relative SQLite path is taken from the project root, not from the working directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str(project_root / url[len(prefix) :])
    return url


class SqlSource:
    def __init__(
        self,
        url: str,
        table: str | None = None,
        query: str | None = None,
        missing_values: tuple[str, ...] = (),
        timeout_seconds: int = 10,
    ) -> None:
        if bool(table) == bool(query):
            raise ConfigError("config/config.yaml: data_source.sql needs exactly one of 'table' or 'query'")
        self.url = url
        self.table = table
        self.query = query
        self.missing_values = missing_values
        self.timeout_seconds = timeout_seconds

    def describe(self) -> str:
        what = f"table {self.table}" if self.table else "query"
        return f"sql {what} at {redact(self.url)}"

    def _engine(self) -> Engine:
        options = {"connect_timeout": self.timeout_seconds} if self.url.startswith("postgresql") else {}
        try:
            return create_engine(self.url, connect_args=options)
        except (ArgumentError, NoSuchModuleError, ValueError) as exc:
            # The parser's own message may quote part of the password (a raw `@` makes the rest read as a port):
            # never chain it, only its kind.
            raise ConfigError(
                f"{DATABASE_URL_ENV_VAR} is not a usable database URL: {redact(self.url)} ({type(exc).__name__}; "
                f"{PERCENT_ENCODING_HINT})"
            ) from None

    def read(self) -> pd.DataFrame:
        return self._read(None)

    def read_sample(self, rows: int) -> pd.DataFrame:
        """A random sample of at most `rows` rows, drawn by the database (used by the `schema` command).

        The first rows of a table are often one class or one period, so they would mislead the inference.
        """
        order = self._random_order()
        if order is None:
            logger.warning(
                "%s: no random order known for this database, reading its first %d rows", self.describe(), rows
            )
        return self._read(rows, order)

    def sample_description(self, rows: int) -> str:
        """How `read_sample` chooses its rows, in words for the `schema` command's explanation."""
        if self._random_order() is None:
            return f"the first {rows} rows (no random order known for this database)"
        return f"a random sample of at most {rows} rows"

    def _random_order(self) -> str | None:
        try:
            backend = make_url(self.url).get_backend_name()
        except (ArgumentError, ValueError):
            return None  # reading reports the bad URL
        return RANDOM_ORDER.get(backend)

    def _statement(self, limit: int | None, order: str | None = None) -> str:
        """The table or query of config.yaml, written by the project's owner, never by a request."""
        selected = self.query.strip().rstrip(";") if self.query else f'SELECT * FROM "{self.table}"'  # noqa: S608
        if limit is None:
            return selected
        ordered = f" ORDER BY {order}" if order else ""
        return f"SELECT * FROM ({selected}) AS selected{ordered} LIMIT {int(limit)}"  # noqa: S608

    def _read(self, limit: int | None, order: str | None = None) -> pd.DataFrame:
        engine = self._engine()
        try:
            connection = engine.connect()
        except OperationalError as exc:
            engine.dispose()
            raise StorageError(
                f"cannot connect to {redact(self.url)}: check {DATABASE_URL_ENV_VAR}, the credentials and that "
                "the server is running"
            ) from exc
        try:
            with connection:
                if self.table and not inspect(connection).has_table(self.table):
                    raise InputError(
                        f"table '{self.table}' not found at {redact(self.url)}; load it with "
                        "scripts/load_data.py or fix data_source.sql in config.yaml"
                    )
                statement = text(self._statement(limit, order))
                frame = pd.read_sql(statement, connection)
        except (OperationalError, ProgrammingError, pd.errors.DatabaseError) as exc:
            reason = str(exc).strip().splitlines()[0]
            raise InputError(f"the database rejected the {self.describe()}: {redact(reason)}") from exc
        except SQLAlchemyError as exc:
            raise StorageError(f"reading {self.describe()} failed: {type(exc).__name__}") from exc
        finally:
            engine.dispose()
        return frame.replace(list(self.missing_values), float("nan")) if self.missing_values else frame

    def write(self, frame: pd.DataFrame) -> int:
        """Replace the table with the frame's rows (used by the loader script)."""
        if not self.table:
            raise ConfigError("loading data needs data_source.sql.table, not a query")
        engine = self._engine()
        try:
            with engine.begin() as connection:
                frame.to_sql(self.table, connection, if_exists="replace", index=False, chunksize=1000)
        except OperationalError as exc:
            raise StorageError(f"cannot write to {redact(self.url)}: check {DATABASE_URL_ENV_VAR}") from exc
        finally:
            engine.dispose()
        return len(frame)
