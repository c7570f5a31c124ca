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
