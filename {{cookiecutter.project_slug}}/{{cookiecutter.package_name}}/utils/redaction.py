"""Hide credentials before a connection string reaches a log line, an error message or the terminal."""

from __future__ import annotations

import re

_USER_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^:@/\s]*):(?P<password>[^@\s]*)@", re.I)
_SECRET_QUERY = re.compile(r"(?P<key>password|passwd|pwd|secret|token|key)=(?P<value>[^&\s]+)", re.I)


def redact(text: str) -> str:
    """`scheme://user:password@host?password=x` becomes `scheme://user:***@host?password=***`."""
    text = _USER_PASSWORD.sub(lambda match: f"{match['scheme']}{match['user']}:***@", text)
    return _SECRET_QUERY.sub(lambda match: f"{match['key']}=***", text)
