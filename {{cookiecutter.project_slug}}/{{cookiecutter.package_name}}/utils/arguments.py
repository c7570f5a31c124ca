"""Command-line argument types shared by the commands of several rooms."""

from __future__ import annotations

import argparse
from typing import TypeVar

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
