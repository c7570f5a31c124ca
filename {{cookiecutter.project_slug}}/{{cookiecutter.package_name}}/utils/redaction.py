"""Hide credentials before a connection string reaches a log line, an error message or the terminal."""

from __future__ import annotations

import os
import re
from urllib.parse import unquote

from ..constants import DATABASE_URL_ENV_VAR, MLFLOW_TRACKING_URI_ENV_VAR, MONGODB_URL_ENV_VAR

# A URL runs from its scheme to the next whitespace. Its credentials are everything between `scheme://` and
# the LAST `@` of the URL: a password typed without percent-encoding may hold `@ : / % # ? &`, so the first
# `@` or `/` cannot be trusted to end it (SQLAlchemy's and urllib's parsers would show the rest of it).
_URL = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<rest>[^\s]+)", re.I)
_SECRET_QUERY = re.compile(
    r"(?P<key>password|passwd|pwd|secret|token|key|apikey|api_key|access_token|sig|signature)=(?P<value>[^&\s]+)",
    re.I,
)

# Connection URLs the project reads from the environment (or .env, which is loaded into it).
_URL_VARIABLES = (DATABASE_URL_ENV_VAR, MONGODB_URL_ENV_VAR, MLFLOW_TRACKING_URI_ENV_VAR)
# Where a URL parser cuts a raw password, so where the piece it quotes in its own error message starts or ends.
_CUTS = re.compile(r"[@:/?#&\[\]\s]")
_SHORTEST_PIECE = 3

# What a user must do to a password before it goes into a URL: SQLAlchemy, pymongo and HTTP clients cut the URL at
# the first raw `@`, `:`, `/`, `?`, `#` or `[`, and decode `%xx` in it.
PERCENT_ENCODING_HINT = (
    "percent-encode every character of the user name and password other than letters, digits and - . _ ~, "
    "e.g. @ as %40, : as %3A, % as %25"
)


def _redact_url(match: re.Match[str]) -> str:
    scheme, rest = match["scheme"], match["rest"]
    at = rest.rfind("@")
    if at >= 0:
        user, separator, _ = rest[:at].partition(":")
        # user:password@ keeps the user; a lone user@ may itself be a token (https://TOKEN@host): hide it.
        rest = (f"{user}:***" if separator else "***") + rest[at:]
    return scheme + rest


def password_pieces(url: str) -> list[str]:
    """The password of a URL (`user:password@` or `?password=`), as typed and decoded, and its pieces between the
    characters a parser cuts at, longest first. A user name alone is not masked: it would mask every word it is."""
    _, separator, rest = url.partition("://")
    at = rest.rfind("@")
    _, colon, password = rest[:at].partition(":") if separator and at >= 0 else ("", "", "")
    secrets = {match["value"] for match in _SECRET_QUERY.finditer(rest)} | ({password} if colon else set())
    pieces = secrets | {unquote(secret) for secret in secrets}
    pieces |= {piece for whole in list(pieces) for piece in _CUTS.split(whole) if len(piece) >= _SHORTEST_PIECE}
    return sorted((piece for piece in pieces if piece), key=len, reverse=True)


def redact(text: str) -> str:
    """`scheme://user:p@ss/w#rd@host/db?password=x` becomes `scheme://user:***@host/db?password=***`; and any piece
    of the password of a connection URL in the environment, which a parser's error may quote without its URL
    (`invalid literal for int(): 'et123@host'`), becomes `***`."""
    # Query secrets first: a raw `@` inside `?password=...` must not be taken for the end of the credentials.
    shown = _URL.sub(_redact_url, _SECRET_QUERY.sub(lambda match: f"{match['key']}=***", text))
    for name in _URL_VARIABLES:
        for piece in password_pieces(os.environ.get(name, "")):
            if len(piece) >= _SHORTEST_PIECE:
                shown = shown.replace(piece, "***")
            else:  # a password of a character or two: where it stands alone, not in every word holding it
                shown = re.sub(rf"(?<![^\W_]){re.escape(piece)}(?![^\W_])", "***", shown)
    return shown
