"""Command-line argument types shared by the commands of several rooms."""

from __future__ import annotations

import argparse
from typing import TypeVar

from .csv_dialect import known_encoding

# Any parser class the command line uses for its commands (each room adds its own command to it).
Parser = TypeVar("Parser", bound=argparse.ArgumentParser)


def bounded_int(text: str, low: int, high: int) -> int:
    """A whole number within low-high, or an argparse error that says which rule it broke."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{value} is outside {low}-{high}")
    return value


def csv_separator(text: str) -> str:
    """One character; a tab may be typed as `tab` or `\\t` (a shell passes the two characters)."""
    sep = "\t" if text.lower() in {"tab", "\\t"} else text
    if len(sep) != 1:
        raise argparse.ArgumentTypeError(f"--sep takes one character (, ; tab |), not {text!r}")
    return sep


def csv_encoding(text: str) -> str:
    """An encoding name Python can decode with, as given."""
    try:
        return known_encoding(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
