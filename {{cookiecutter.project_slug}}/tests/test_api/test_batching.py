"""POST /predict runs the requests of one turn of the event loop in one model call (without ONNX: those that wait
while a call runs, in the next one): each must get exactly the rows it would get alone, and a failure must reach
every request of that call and no other; a bad value, only its own request."""

from __future__ import annotations

import asyncio

import numpy as np
import pandas as pd
import pytest

from {{ cookiecutter.package_name }}.api.batching import BatchedFrames, BatchedRuns
from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
from {{ cookiecutter.package_name }}.constants import ONNX_MODEL_FILE
from {{ cookiecutter.package_name }}.exception import InputError
from {{ cookiecutter.package_name }}.inference.fast_predictor import (
    OnnxPredictor,
    ScikitLearnPredictor,
    load_predictor,
)
from {{ cookiecutter.package_name }}.inference.model import TabularModel

SAMPLE = "data/raw/sensor_sample.csv"


class _RecordingPredictor:
    """Stands in for OnnxPredictor: each row's probabilities follow from its first value; calls are recorded."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[int] = []
        self.fail = fail

    def predict_proba_feed(self, feed):
        self.calls.append(len(feed["input"]))
        if self.fail:
            raise RuntimeError("the model broke")
        first = feed["input"][:, :1].astype(np.float64)
        return np.hstack([1 - first / 10, first / 10])


def _feed(*values: float) -> dict[str, np.ndarray]:
    return {"input": np.array([[value, 0.0] for value in values], dtype=np.float64)}


def _alone(*values: float) -> np.ndarray:
    return _RecordingPredictor().predict_proba_feed(_feed(*values))


def test_requests_waiting_together_share_one_call_and_each_gets_its_own_rows() -> None:
    predictor, batched = _RecordingPredictor(), BatchedRuns()

    async def three_requests():
        return await asyncio.gather(
            batched.predict_proba(predictor, _feed(1)),
            batched.predict_proba(predictor, _feed(2, 3)),
            batched.predict_proba(predictor, _feed(4)),
        )

    answers = asyncio.run(three_requests())

    assert predictor.calls == [4]
    for answer, values in zip(answers, [(1,), (2, 3), (4,)], strict=True):
        np.testing.assert_array_equal(answer, _alone(*values))


def test_a_lone_request_runs_at_once_on_its_own() -> None:
    predictor, batched = _RecordingPredictor(), BatchedRuns()

    async def one_after_the_other():
        return [await batched.predict_proba(predictor, _feed(value)) for value in (1, 2)]

    answers = asyncio.run(one_after_the_other())

    assert predictor.calls == [1, 1]
    np.testing.assert_array_equal(answers[1], _alone(2))


def test_a_failed_call_fails_every_request_in_it_and_the_next_turn_runs_again() -> None:
    broken, working, batched = _RecordingPredictor(fail=True), _RecordingPredictor(), BatchedRuns()

    async def two_turns():
        first = await asyncio.gather(
            batched.predict_proba(broken, _feed(1)), batched.predict_proba(broken, _feed(2)), return_exceptions=True
        )
        return first, await batched.predict_proba(working, _feed(3))

    failed, answered = asyncio.run(two_turns())

    assert [str(error) for error in failed] == ["the model broke", "the model broke"]
    np.testing.assert_array_equal(answered, _alone(3))


def test_two_model_versions_in_one_turn_each_run_their_own_requests() -> None:
    old, new, batched = _RecordingPredictor(), _RecordingPredictor(), BatchedRuns()

    async def mixed():
        return await asyncio.gather(
            batched.predict_proba(old, _feed(1)),
            batched.predict_proba(new, _feed(2)),
            batched.predict_proba(old, _feed(3)),
        )

    answers = asyncio.run(mixed())

    assert (old.calls, new.calls) == ([2], [1])
    for answer, value in zip(answers, (1, 2, 3), strict=True):
        np.testing.assert_array_equal(answer, _alone(value))


def test_a_cancelled_request_leaves_the_others_answered() -> None:
    predictor, batched = _RecordingPredictor(), BatchedRuns()

    async def one_cancelled():
        gone = asyncio.ensure_future(batched.predict_proba(predictor, _feed(1)))
        kept = asyncio.ensure_future(batched.predict_proba(predictor, _feed(2)))
        await asyncio.sleep(0)  # both are waiting for the end of the turn
        gone.cancel()
        return await kept

    np.testing.assert_array_equal(asyncio.run(one_cancelled()), _alone(2))
    assert predictor.calls == [2]


def test_onnxruntime_gives_a_row_the_same_probabilities_in_a_batch_as_alone(trained, settings) -> None:
    production = build_model_registry(settings).current()
    assert production is not None
    predictor = load_predictor(TabularModel.load(production.model_path), production.directory / ONNX_MODEL_FILE)
    if not isinstance(predictor, OnnxPredictor):
        pytest.fail("the sample's model should be served by onnxruntime")
    frame = pd.read_csv(trained / SAMPLE).drop(columns=["class"]).head(12)
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    markers = tuple(settings.schema.missing_values)
    feeds = [predictor.inputs.from_records(records[start : start + 3], markers) for start in range(0, 12, 3)]
    batched = BatchedRuns()

    async def together():
        return await asyncio.gather(*(batched.predict_proba(predictor, feed) for feed in feeds))

    answers = asyncio.run(together())

    for answer, feed in zip(answers, feeds, strict=True):
        np.testing.assert_array_equal(answer, predictor.predict_proba_feed(feed))


class _RecordingPipeline:
    """Stands in for the saved pipeline: a row's probabilities follow from its `reading`; "bad" is refused."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def predict_proba_frame(self, frame: pd.DataFrame) -> np.ndarray:
        self.calls.append(len(frame))
        if (frame["reading"] == "bad").any():
            raise InputError("input has values that are not numbers in: reading (e.g. 'bad')")
        reading = frame[["reading"]].to_numpy(dtype=np.float64)
        return np.hstack([1 - reading / 10, reading / 10])


def _rows(*values) -> pd.DataFrame:
    return pd.DataFrame({"reading": list(values)}, dtype=object)


def test_without_onnx_waiting_requests_share_a_call_and_a_bad_value_fails_only_its_request() -> None:
    pipeline, batched = _RecordingPipeline(), BatchedFrames()

    async def four_requests():
        return await asyncio.gather(
            *(batched.predict_proba(pipeline, _rows(*values)) for values in ((1,), (2, 3), ("bad",), (4,))),
            return_exceptions=True,
        )

    answers = asyncio.run(four_requests())

    assert pipeline.calls == [5, 1, 2, 1, 1]  # together, refused; then each request alone
    assert isinstance(answers[2], InputError)
    for answer, values in zip([answers[0], answers[1], answers[3]], [(1,), (2, 3), (4,)], strict=True):
        np.testing.assert_array_equal(answer, _RecordingPipeline().predict_proba_frame(_rows(*values)))


def test_without_onnx_requests_arriving_during_a_call_share_the_next_one() -> None:
    pipeline, batched = _RecordingPipeline(), BatchedFrames()

    async def a_request_then_two_more_while_it_runs():
        first = asyncio.ensure_future(batched.predict_proba(pipeline, _rows(1)))
        while not pipeline.calls:  # until the first call has started
            await asyncio.sleep(0.001)
        later = [asyncio.ensure_future(batched.predict_proba(pipeline, _rows(value))) for value in (2, 3)]
        return await asyncio.gather(first, *later)

    answers = asyncio.run(a_request_then_two_more_while_it_runs())

    assert pipeline.calls == [1, 2]
    np.testing.assert_array_equal(answers[2], _RecordingPipeline().predict_proba_frame(_rows(3)))


def test_the_saved_pipeline_gives_a_row_the_same_probabilities_in_a_batch_as_alone(trained, settings) -> None:
    production = build_model_registry(settings).current()
    assert production is not None
    predictor = ScikitLearnPredictor(TabularModel.load(production.model_path))
    frame = pd.read_csv(trained / SAMPLE).drop(columns=["class"]).head(12)
    records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    markers = tuple(settings.schema.missing_values)
    frames = [predictor.records_frame(records[start : start + 3], markers) for start in range(0, 12, 3)]
    batched = BatchedFrames()

    async def together():
        return await asyncio.gather(*(batched.predict_proba(predictor, rows) for rows in frames))

    answers = asyncio.run(together())

    for answer, rows in zip(answers, frames, strict=True):
        np.testing.assert_array_equal(answer, predictor.predict_proba_frame(rows))
