"""Progress bars for long commands, configured once: on stderr, and drawn only when stderr is a terminal.

Pipes, log files, CI and captured test output stay clean because nothing is drawn on a stream that is not a
terminal. While a bar is drawn, the package's console log lines are printed above it instead of through it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, TextIO

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

from ..constants import PACKAGE_NAME

BYTES = "B"
# Steps of unequal length: which one runs and how many are done, e.g. `3/6 model_trainer`; a rate would mislead.
STEP_COUNTER = "{n_fmt}/{total_fmt} {desc} |{bar}| {elapsed}"


@contextmanager
def progress_bar(
    description: str,
    total: float | None = None,
    unit: str = "it",
    stream: TextIO | None = None,
    layout: str | None = None,
) -> Iterator[tqdm[Any]]:
    """A bar of `total` units (`BYTES` are shown as kB, MB, ...) on `stream`, stderr unless given; `layout` is a
    tqdm `bar_format` such as `STEP_COUNTER`.

    On a stream that is not a terminal the bar is disabled: updating it costs nothing and writes nothing.
    """
    in_bytes = unit == BYTES
    bar = tqdm(
        total=total,
        desc=description,
        unit=unit,
        unit_scale=in_bytes,
        unit_divisor=1024 if in_bytes else 1000,
        file=sys.stderr if stream is None else stream,
        disable=None,  # None: drawn only when the stream is a terminal
        leave=False,  # the command prints its own result when it ends
        dynamic_ncols=True,
        bar_format=layout,
    )
    with bar, _logs_above(bar):
        yield bar


def advance_to(bar: tqdm[Any], position: float) -> None:
    """Move the bar to an absolute position, such as the bytes of a file read so far; never backwards."""
    if position > bar.n:
        bar.update(position - bar.n)


def _logs_above(bar: tqdm[Any]) -> AbstractContextManager[None]:
    """Log lines on the console go through tqdm while the bar is drawn, so the bar is not broken up."""
    if bar.disable:
        return nullcontext()
    return logging_redirect_tqdm(loggers=[logging.getLogger(PACKAGE_NAME)])
