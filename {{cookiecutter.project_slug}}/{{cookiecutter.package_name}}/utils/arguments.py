"""Command-line argument types shared by the commands of several rooms."""

from __future__ import annotations

import argparse
import re
from typing import TypeVar

from .csv_dialect import known_encoding

# Any parser class the command line uses for its commands (each room adds its own command to it).
Parser = TypeVar("Parser", bound=argparse.ArgumentParser)


# Numbers as a person types them in a shell: ASCII digits, a sign, a decimal point and an exponent. Python's int()
# and float() also take `1_000`, spaces around and digits of other scripts (`١٢`), which no one means as an option.
_WHOLE_NUMBER = re.compile(r"[-+]?[0-9]+")
_DECIMAL_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def whole_number(text: str) -> int:
    """A whole number written with the digits 0-9, or an argparse error."""
    if not _WHOLE_NUMBER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number (digits 0-9 only)")
    return int(text)


def decimal_number(text: str) -> float:
    """A number written with the digits 0-9, a point and an exponent (1.5, 2e3), or an argparse error."""
    if not _DECIMAL_NUMBER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (digits 0-9, a point, an exponent)")
    return float(text)


def bounded_int(text: str, low: int, high: int) -> int:
    """A whole number within low-high, or an argparse error that says which rule it broke."""
    value = whole_number(text)
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
