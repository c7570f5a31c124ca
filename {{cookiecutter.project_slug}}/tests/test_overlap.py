"""Reading ahead in a thread and scoring chunks in several: same items, same order, errors where they happened."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from {{ cookiecutter.package_name }}.utils.overlap import map_in_order, read_ahead


class Broken(Exception):
    pass


def _consume(items: Iterator[int], into: list[int]) -> None:
    """Every item into `into` until the iterator ends or raises."""
    for item in items:
        into.append(item)


def _numbers_then_broken(count: int, opened: list[str]) -> Iterator[int]:
    opened.append("open")
    try:
        yield from range(count)
        raise Broken(f"after {count}")
    finally:
        opened.append("closed")


def test_read_ahead_gives_every_item_in_order() -> None:
    assert list(read_ahead(iter(range(1000)), depth=2)) == list(range(1000))


def test_read_ahead_raises_the_error_after_the_items_before_it() -> None:
    opened: list[str] = []
    seen: list[int] = []

    with pytest.raises(Broken, match="after 3"):
        _consume(read_ahead(_numbers_then_broken(3, opened)), seen)

    assert seen == [0, 1, 2]
    assert opened == ["open", "closed"]


def test_read_ahead_stops_its_thread_and_closes_the_source_when_the_consumer_stops() -> None:
    opened: list[str] = []
    items = read_ahead(_numbers_then_broken(10_000, opened))

    assert next(items) == 0
    items.close()

    assert opened == ["open", "closed"]
    assert not [thread for thread in threading.enumerate() if thread.name == "read-ahead"]


def test_read_ahead_runs_the_source_in_another_thread() -> None:
    threads = []

    def source() -> Iterator[int]:
        threads.append(threading.current_thread().name)
        yield 1

    assert list(read_ahead(source())) == [1]
    assert threads == ["read-ahead"]


def test_map_in_order_keeps_the_order_when_later_items_finish_first() -> None:
    def slow_for_small(number: int) -> int:
        time.sleep(0.02 if number % 3 == 0 else 0)
        return number * number

    assert list(map_in_order(slow_for_small, range(20), workers=3)) == [number * number for number in range(20)]


def test_map_in_order_runs_items_at_the_same_time_and_takes_few_ahead() -> None:
    taken = []
    both_running = threading.Barrier(2, timeout=5)

    def wait_for_the_other(number: int) -> int:
        both_running.wait()  # raises BrokenBarrierError unless two items run at once
        return number

    def items() -> Iterator[int]:
        for number in range(6):
            taken.append(number)
            yield number

    results = map_in_order(wait_for_the_other, items(), workers=2)

    assert next(results) == 0
    assert taken == [0, 1, 2]  # the first result came with `workers` items taken, and one waiting for a thread
    assert list(results) == [1, 2, 3, 4, 5]


def test_map_in_order_raises_the_error_at_its_item_and_runs_no_item_far_after_it() -> None:
    started = []

    def fails_on_two(number: int) -> int:
        started.append(number)
        if number == 2:
            raise Broken("two")
        return number

    results: list[int] = []
    with pytest.raises(Broken, match="two"):
        _consume(map_in_order(fails_on_two, range(100), workers=2), results)

    assert results == [0, 1]
    assert max(started) <= 4  # at most `workers` + 1 items past the last result were started
