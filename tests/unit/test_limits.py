"""AppSync's depth and resolver-count limits on the mirror's schema, with small limits and canned resolvers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from graphql import FragmentDefinitionNode, GraphQLResolveInfo, OperationDefinitionNode, parse

from mirror.appsync_sdl import appsync_schema
from mirror.limits import (
    DEPTH_ERROR,
    RESOLVER_COUNT_ERROR,
    AppSyncLimits,
    LimitReached,
    check_depth,
    selection_depth,
)
from mirror.resolution import FairShare
from mirror.strawberry_schema import AppSyncResolution, build_mirror_schema

SERVED = {("Query", "getEvent"), ("Query", "listEvents"), ("Event", "host")}
EVENT = {"id": "e1", "title": "T", "venue": "V", "capacity": 3, "attendeeCount": 0}


def _schema(*, depth: int, resolvers: int, calls: list[str]) -> Any:
    async def invoke(type_name: str, field_name: str, source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        calls.append(f"{type_name}.{field_name}")
        if field_name == "host":
            return {"id": "u1", "displayName": "Ada"}
        if field_name == "listEvents":
            return {"items": [EVENT, EVENT], "nextToken": None}
        return EVENT

    def allow(type_name: str, field_name: str, context: Any) -> None:
        return None

    return build_mirror_schema(
        appsync_schema(),
        extensions=[  # graphql-core wraps later extensions around earlier ones: the limits check first
            lambda: AppSyncResolution(SERVED, invoke, allow),
            lambda: AppSyncLimits(SERVED, depth_limit=depth, resolver_limit=resolvers),
        ],
    )


def _error_types(result: Any) -> list[tuple[str, list[str | int]]]:
    return [
        (error.original_error.error_type, error.path)
        for error in result.errors or []
        if isinstance(error.original_error, LimitReached)
    ]


async def test_resolvers_past_the_count_limit_fail_without_running() -> None:
    calls: list[str] = []
    schema = _schema(depth=10, resolvers=3, calls=calls)
    query = "{ " + " ".join(f"{alias}: getEvent(id: 1) {{ id }}" for alias in "abcd") + " }"
    result = await schema.execute(query)
    assert calls == ["Query.getEvent"] * 3
    assert result.data == {"a": {"id": "e1"}, "b": {"id": "e1"}, "c": {"id": "e1"}, "d": None}
    assert _error_types(result) == [(RESOLVER_COUNT_ERROR, ["d"])]


async def test_nested_resolvers_count_too() -> None:
    calls: list[str] = []
    schema = _schema(depth=10, resolvers=3, calls=calls)
    query = "{ a: getEvent(id: 1) { host { displayName } } b: getEvent(id: 2) { host { displayName } } }"
    result = await schema.execute(query)
    assert sorted(calls) == ["Event.host", "Query.getEvent", "Query.getEvent"]
    # host is User!: the refused one nulls its event, the nearest nullable parent.
    assert result.data == {"a": {"host": {"displayName": "Ada"}}, "b": None}
    assert _error_types(result) == [(RESOLVER_COUNT_ERROR, ["b", "host"])]


async def test_fields_past_the_depth_limit_fail_and_the_null_moves_to_a_nullable_parent() -> None:
    calls: list[str] = []
    schema = _schema(depth=1, resolvers=100, calls=calls)
    result = await schema.execute("{ getEvent(id: 1) { host { displayName } } }")
    assert result.data == {"getEvent": None}  # host is User!, so its error nulls the event
    assert _error_types(result) == [(DEPTH_ERROR, ["getEvent", "host"])]
    assert calls == ["Query.getEvent"]


async def test_introspection_is_exempt() -> None:
    schema = _schema(depth=1, resolvers=1, calls=[])
    result = await schema.execute("{ __schema { queryType { fields { name type { name ofType { name } } } } } }")
    assert result.errors is None


class _CountingRuntime:
    def __init__(self) -> None:
        self.in_flight = 0
        self.most = 0

    async def invoke(self, event: Any, record: Any = None) -> Any:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        await asyncio.sleep(0)  # hand the loop to the other callers while "in the pool"
        self.in_flight -= 1
        return event


async def test_fair_share_bounds_one_requests_invocations_in_flight() -> None:
    runtime = _CountingRuntime()
    share = FairShare(runtime, 3)
    results = await asyncio.gather(*(share.invoke({"n": n}) for n in range(20)))
    assert [result["n"] for result in results] == list(range(20))
    assert runtime.most == 3


def test_selection_depth_counts_field_levels_through_fragments() -> None:
    document = parse(
        "subscription { onCommentAdded(eventId: 1) { id ...A } } fragment A on Comment { author { displayName } }"
    )
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    assert selection_depth(operation.selection_set, fragments) == 3
    check_depth(3, limit=3)
    with pytest.raises(LimitReached) as raised:
        check_depth(4, limit=3)
    assert raised.value.error_type == DEPTH_ERROR
