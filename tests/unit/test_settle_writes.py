"""SettleWrites on a small schema: a mutation's answer waits for its writes to be durable; a query's does not.

GraphQLEndpoint lists SettleWrites after PublishMutationResults, relying on Strawberry ending extensions in
reverse order; the last test fails first if an upgrade changes that.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLResolveInfo, build_ast_schema, parse
from strawberry.extensions import SchemaExtension

from mirror.appsync_sdl import APPSYNC_PRELUDE
from mirror.graphql_endpoint import SettleWrites
from mirror.strawberry_schema import AppSyncResolution, build_mirror_schema

SDL = """
type Query { read: String }
type Mutation { write(value: String!): String }
"""
SERVED = {("Query", "read"), ("Mutation", "write")}


class Recorder:
    def __init__(self) -> None:
        self.steps: list[str] = []
        self.settled_on: list[threading.Thread] = []

    async def invoke(self, type_name: str, field_name: str, source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        self.steps.append(f"{type_name}.{field_name}")
        return "done"

    def settle(self) -> None:
        self.steps.append("settled")
        self.settled_on.append(threading.current_thread())


class AfterExecution(SchemaExtension):
    """Stands where PublishMutationResults stands: records when it sees the result."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def on_execute(self) -> Iterator[None]:
        yield
        self.recorder.steps.append("published")


def schema(recorder: Recorder) -> Any:
    def allow(type_name: str, field_name: str, context: Any) -> None:
        return None

    return build_mirror_schema(
        build_ast_schema(parse(APPSYNC_PRELUDE + SDL)),
        extensions=[
            lambda: AppSyncResolution(SERVED, recorder.invoke, allow),
            lambda: AfterExecution(recorder),
            lambda: SettleWrites(recorder.settle),
        ],
    )


async def test_a_mutation_is_answered_once_its_writes_are_settled_off_the_event_loop() -> None:
    recorder = Recorder()
    result = await schema(recorder).execute('mutation { write(value: "x") }')
    assert result.errors is None, result.errors
    assert result.data == {"write": "done"}
    assert recorder.steps == ["Mutation.write", "settled", "published"]
    assert recorder.settled_on != [threading.current_thread()]


async def test_a_query_does_not_wait_for_the_store() -> None:
    recorder = Recorder()
    result = await schema(recorder).execute("query { read }")
    assert result.errors is None, result.errors
    assert recorder.steps == ["Query.read", "published"]


async def test_a_refused_document_settles_nothing() -> None:
    recorder = Recorder()
    result = await schema(recorder).execute("mutation { write }")
    assert result.errors
    assert recorder.steps == []
