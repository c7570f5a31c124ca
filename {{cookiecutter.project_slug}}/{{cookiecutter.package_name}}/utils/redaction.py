"""Hide credentials before a connection string reaches a log line, an error message or the terminal."""

from __future__ import annotations

import re

# A URL runs from its scheme to the next whitespace. Its credentials are everything between `scheme://` and
# the LAST `@` of the URL: a password typed without percent-encoding may hold `@ : / % # ? &`, so the first
# `@` or `/` cannot be trusted to end it (SQLAlchemy's and urllib's parsers would show the rest of it).
_URL = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<rest>[^\s]+)", re.I)
_SECRET_QUERY = re.compile(
    r"(?P<key>password|passwd|pwd|secret|token|key|apikey|api_key|access_token|sig|signature)=(?P<value>[^&\s]+)",
    re.I,
)

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


def redact(text: str) -> str:
    """`scheme://user:p@ss/w#rd@host/db?password=x` becomes `scheme://user:***@host/db?password=***`."""
    # Query secrets first: a raw `@` inside `?password=...` must not be taken for the end of the credentials.
    return _URL.sub(_redact_url, _SECRET_QUERY.sub(lambda match: f"{match['key']}=***", text))
