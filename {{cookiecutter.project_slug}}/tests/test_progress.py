"""Progress bars: drawn on a terminal, absent everywhere else, and log lines printed above them, not through them."""

from __future__ import annotations

import gzip
import io
import logging
import sys
from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }}.utils.csv_chunks import read_csv_chunks
from {{ cookiecutter.package_name }}.utils.progress import (
    BYTES,
    STEP_COUNTER,
    advance_to,
    progress_bar,
)


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal, as stderr does in an interactive shell."""

    def isatty(self) -> bool:
        return True


def test_a_bar_is_drawn_on_a_terminal() -> None:
    terminal = FakeTerminal()

    with progress_bar("predict", total=2048, unit=BYTES, stream=terminal) as bar:
        advance_to(bar, 1024)
        bar.refresh()

    drawn = terminal.getvalue()
    assert "predict:   0%" in drawn
    assert "1.00k/2.00k" in drawn  # bytes are shown scaled


def test_steps_are_counted_by_name() -> None:
    terminal = FakeTerminal()

    with progress_bar("train", total=6, stream=terminal, layout=STEP_COUNTER) as bar:
        bar.update(3)
        bar.set_description_str("model_trainer")

    assert "3/6 model_trainer |" in terminal.getvalue()


def test_nothing_is_drawn_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()

    with progress_bar("predict", total=2048, unit=BYTES, stream=stream) as bar:
        advance_to(bar, 1024)
        bar.refresh()

    assert bar.disable
    assert stream.getvalue() == ""


def test_the_default_stream_is_stderr_and_pytest_captured_stderr_stays_clean(capsys) -> None:
    with progress_bar("train", total=6, unit="step") as bar:
        bar.update()

    assert bar.disable  # pytest's captured stderr is not a terminal
    assert capsys.readouterr().err == ""


def test_the_bar_moves_to_a_position_and_never_back() -> None:
    with progress_bar("predict", total=100, stream=FakeTerminal()) as bar:
        advance_to(bar, 60)
        advance_to(bar, 40)

        assert bar.n == 60


def test_log_lines_are_printed_once_above_the_bar_and_the_handlers_come_back(monkeypatch, caplog) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    package_logger = logging.getLogger("{{ cookiecutter.package_name }}")
    console = logging.StreamHandler(sys.stderr)
    package_logger.addHandler(console)
    caplog.set_level(logging.INFO, logger=package_logger.name)

    with progress_bar("train", total=6, unit="step"):
        assert console not in package_logger.handlers  # replaced by one that writes through tqdm
        package_logger.info("data_ingestion: started")

    assert console in package_logger.handlers
    lines = terminal.getvalue().replace("\r", "\n").splitlines()
    assert lines.count("data_ingestion: started") == 1


def _numbers_csv(path: Path, rows: int) -> Path:
    pd.DataFrame({"a": range(rows), "b": [f"x{row}" for row in range(rows)]}).to_csv(path, index=False)
    return path


def test_reading_in_chunks_reports_the_bytes_read_up_to_the_file_size(tmp_path: Path) -> None:
    source = _numbers_csv(tmp_path / "numbers.csv", rows=50_000)
    positions: list[int] = []

    frames = list(read_csv_chunks(source, 10_000, on_bytes_read=positions.append))

    assert [len(frame) for frame in frames] == [10_000] * 5
    assert len(positions) == 5
    assert positions == sorted(positions)
    assert positions[0] < source.stat().st_size  # the first chunk did not need the whole file
    assert positions[-1] == source.stat().st_size


def test_a_gzip_csv_is_read_in_chunks_as_its_plain_text_is(tmp_path: Path) -> None:
    plain = _numbers_csv(tmp_path / "numbers.csv", rows=2_500)
    packed = tmp_path / "numbers.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))

    read = pd.concat(read_csv_chunks(packed, 1_000))

    pd.testing.assert_frame_equal(read, pd.concat(read_csv_chunks(plain, 1_000)))
