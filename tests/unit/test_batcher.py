"""The mirror's BatchInvoke batcher on its own: batch sizes, order of results, and errors."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mirror.lambda_runtime import LambdaError
from mirror.resolution import Batcher

HOST = ("Event", "host")
AUTHOR = ("Comment", "author")


class RecordingLambda:
    """Answers each BatchInvoke list with one result per event (its source's id), and records the lists."""

    def __init__(self, answer: Any = None) -> None:
        self.calls: list[list[dict[str, Any]]] = []
        self.answer = answer

    async def invoke(self, event: dict[str, Any] | list[dict[str, Any]]) -> Any:
        assert isinstance(event, list), "batched fields are sent as BatchInvoke lists"
        self.calls.append(event)
        await asyncio.sleep(0)  # a real invocation returns on a later turn of the loop
        if isinstance(self.answer, Exception):
            raise self.answer
        if self.answer is not None:
            return self.answer
        return [f"result-{item['source']['id']}" for item in event]


def event(number: int, field: tuple[str, str] = HOST) -> dict[str, Any]:
    return {"source": {"id": number}, "info": {"parentTypeName": field[0], "fieldName": field[1]}}


async def load_all(batcher: Batcher, events: list[tuple[tuple[str, str], dict[str, Any]]]) -> list[Any]:
    return await asyncio.gather(*(batcher.load(key, item) for key, item in events), return_exceptions=True)


async def test_siblings_go_in_one_batch_each_at_most_max_size_in_order() -> None:
    lambda_ = RecordingLambda()
    batcher = Batcher(lambda_, {HOST: 3})
    results = await load_all(batcher, [(HOST, event(n)) for n in range(7)])
    assert results == [f"result-{n}" for n in range(7)]
    assert [[item["source"]["id"] for item in call] for call in lambda_.calls] == [[0, 1, 2], [3, 4, 5], [6]]


async def test_fields_arriving_over_several_turns_still_share_a_batch() -> None:
    lambda_ = RecordingLambda()
    batcher = Batcher(lambda_, {HOST: 10})

    async def later(number: int, turns: int) -> Any:
        for _ in range(turns):
            await asyncio.sleep(0)
        return await batcher.load(HOST, event(number))

    assert await asyncio.gather(*(later(n, n) for n in range(4))) == [f"result-{n}" for n in range(4)]
    assert len(lambda_.calls) == 1


async def test_each_field_is_batched_apart() -> None:
    lambda_ = RecordingLambda()
    batcher = Batcher(lambda_, {HOST: 10, AUTHOR: 10})
    await load_all(batcher, [(HOST, event(1)), (AUTHOR, event(2, AUTHOR)), (HOST, event(3))])
    fields = sorted({(i["info"]["parentTypeName"], i["info"]["fieldName"]) for i in call} for call in lambda_.calls)
    assert len(lambda_.calls) == 2
    assert all(len(f) == 1 for f in fields)


async def test_a_failed_invocation_fails_every_field_of_its_batch_only() -> None:
    failing = RecordingLambda(LambdaError("Lambda:Unhandled", "boom"))
    results = await load_all(Batcher(failing, {HOST: 2}), [(HOST, event(n)) for n in range(3)])
    assert all(isinstance(r, LambdaError) and r.error_type == "Lambda:Unhandled" for r in results)
    assert len(failing.calls) == 2


@pytest.mark.parametrize("answer", [["only one"], {"not": "a list"}])
async def test_a_result_list_of_the_wrong_shape_is_an_error(answer: Any) -> None:
    results = await load_all(Batcher(RecordingLambda(answer), {HOST: 5}), [(HOST, event(n)) for n in range(2)])
    assert all(isinstance(r, LambdaError) and "one result per event" in r.message for r in results)


async def test_result_items_are_bare_or_data_with_their_own_error() -> None:
    """AppSync's documented item form ``{data, errorMessage, errorType}``: an error fails that field alone."""
    answer = [
        {"id": "bare"},
        {"data": {"id": "wrapped"}, "errorMessage": None, "errorType": None},
        {"data": None, "errorMessage": "no such user", "errorType": "NotFound"},
        {"errorMessage": "no type given"},
        {"data": "only data"},
    ]
    batcher = Batcher(RecordingLambda(answer), {HOST: 5})
    results = await load_all(batcher, [(HOST, event(n)) for n in range(5)])
    assert results[:2] == [{"id": "bare"}, {"id": "wrapped"}]
    assert [(r.error_type, r.message) for r in results[2:4]] == [
        ("NotFound", "no such user"),
        ("Lambda:Unhandled", "no type given"),
    ]
    assert results[4] == "only data"
