"""Overlapping the stages of a stream of chunks: reading ahead in one thread, scoring chunks in several.

Batch prediction spends its time in pandas' CSV parser and in the model's trees, both of which run without
holding the GIL for most of their work, so on two cores reading the next chunk and scoring two chunks at once
overlap. Every chunk is still scored whole by the same call as before, so the results are the same bits.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# How long a blocked reader waits before it looks again whether its consumer has stopped.
_POLL_SECONDS = 0.1


def read_ahead(items: Iterator[Item], depth: int = 1) -> Generator[Item]:
    """The items of `items` in order, produced by a background thread at most `depth` items ahead.

    An exception raised by `items` is raised here, when the consumer reaches the item it replaced. When the
    consumer stops early (an error, an interrupt, `close()`), the thread stops after the item it is producing.
    """
    # A slot holds an item in a 1-tuple, the exception that ended `items`, or None at their end.
    slots: queue.Queue[tuple[Item] | BaseException | None] = queue.Queue(maxsize=depth)
    stopped = threading.Event()

    def hand_over(slot: tuple[Item] | BaseException | None) -> bool:
        while not stopped.is_set():
            try:
                slots.put(slot, timeout=_POLL_SECONDS)
            except queue.Full:
                continue
            return True
        return False

    def produce() -> None:
        try:
            for item in items:
                if not hand_over((item,)):
                    return
            hand_over(None)
        except BaseException as error:  # handed to the consumer, which raises it in its own thread
            hand_over(error)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # a generator's `finally` (an open file) runs in the thread that ran it

    producer = threading.Thread(target=produce, name="read-ahead", daemon=True)
    producer.start()
    try:
        while (slot := slots.get()) is not None:
            if isinstance(slot, BaseException):
                raise slot
            yield slot[0]
    finally:
        stopped.set()
        producer.join()


def map_in_order(function: Callable[[Item], Result], items: Iterable[Item], workers: int) -> Generator[Result]:
    """`function(item)` for every item, in the order of `items`, computed by `workers` threads.

    At most `workers + 1` items are taken from `items` before their results are used, so memory stays bounded: the
    one beyond `workers` waits in the pool, so a thread that finishes an item starts the next at once instead of
    waiting for the consumer to use the result (batch prediction writes it, holding the GIL).
    An exception from `function` is raised at its item; the items after it that had started are waited for,
    the others are not run.
    """
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="map-in-order") as pool:
        pending: deque[Future[Result]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(function, item))
                if len(pending) > workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
