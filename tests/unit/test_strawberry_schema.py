"""The mirror's Strawberry schema on its own, from a small SDL: what it declares and how its fields resolve.

``_GeneratedTypes`` leans on two things Strawberry reads but does not document for this use (resolver
signatures and the classes' module); the first test fails first if an upgrade changes either.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLResolveInfo, build_ast_schema, build_schema, find_breaking_changes, parse

from mirror.appsync_sdl import APPSYNC_PRELUDE
from mirror.authorization import NotAuthorized
from mirror.strawberry_schema import AppSyncResolution, build_mirror_schema

SDL = """
type Query {
  node(id: ID!, depth: Int): Node
  nodes(filter: Filter): [Node!]!
  plain: String
}
type Mutation { touch(id: ID!): Node }
type Subscription { onTouch(id: ID): Node }
type Node {
  id: ID!
  parent: Node
  children(first: Int): [Node!]!
  color: Color
  seen: AWSDateTime
}
enum Color { RED GREEN }
input Filter { name: String, colors: [Color!] }
"""
SERVED = {("Query", "node"), ("Node", "children")}


def sdl() -> Any:
    return build_ast_schema(parse(APPSYNC_PRELUDE + SDL))


def test_the_generated_types_declare_exactly_the_sdl() -> None:
    """Arguments come from generated signatures, and Node refers to itself through the generated module."""
    built = build_schema(build_mirror_schema(sdl()).as_str())
    expected = build_schema(SDL + "\nscalar AWSDateTime")
    assert find_breaking_changes(expected, built) == []
    assert find_breaking_changes(built, expected) == []
    node = built.get_type("Node")
    assert set(node.fields["children"].args) == {"first"}  # type: ignore[union-attr]


async def test_served_fields_run_the_lambda_and_the_rest_read_the_parent() -> None:
    calls: list[tuple[str, str, Any]] = []

    async def invoke(type_name: str, field_name: str, source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        calls.append((type_name, field_name, source))
        if field_name == "node":
            return {"id": "n1", "color": "RED", "parent": {"id": "n0"}, "seen": "2030-01-01T00:00:00Z"}
        return [{"id": "c1"}]

    def allow(type_name: str, field_name: str, context: Any) -> None:
        return None

    schema = build_mirror_schema(sdl(), extensions=[lambda: AppSyncResolution(SERVED, invoke, allow)])
    result = await schema.execute(
        "query($id: ID!) { node(id: $id) { id color seen parent { id } children(first: 2) { id } } plain }",
        variable_values={"id": "n1"},
        root_value={"plain": "from the parent"},
    )
    assert result.errors is None, result.errors
    assert result.data == {
        "node": {
            "id": "n1",
            "color": "RED",
            "seen": "2030-01-01T00:00:00Z",
            "parent": {"id": "n0"},
            "children": [{"id": "c1"}],
        },
        "plain": "from the parent",
    }
    assert [(t, f) for t, f, _ in calls] == [("Query", "node"), ("Node", "children")]
    assert calls[1][2]["id"] == "n1"  # the parent's result is the child's source


async def test_the_guard_runs_before_any_field_and_introspection_is_exempt() -> None:
    async def invoke(*_: Any) -> Any:
        raise AssertionError("a refused field runs no resolver")

    def refuse_nodes(type_name: str, field_name: str, context: Any) -> None:
        if field_name == "node":
            raise NotAuthorized(type_name, field_name)

    schema = build_mirror_schema(sdl(), extensions=[lambda: AppSyncResolution(SERVED, invoke, refuse_nodes)])
    result = await schema.execute('{ __typename node(id: "n1") { id } }')
    assert result.data == {"__typename": "Query", "node": None}
    assert [error.message for error in result.errors or []] == ["Not Authorized to access node on type Query"]


@pytest.mark.parametrize("value", ["tomorrow", "2030-01-01"])
async def test_appsync_scalars_refuse_malformed_input(value: str) -> None:
    schema = build_mirror_schema(
        build_ast_schema(parse(APPSYNC_PRELUDE + "type Query { at(when: AWSDateTime!): String }"))
    )
    result = await schema.execute("query($w: AWSDateTime!) { at(when: $w) }", variable_values={"w": value})
    assert result.errors
    assert "is not a valid 'AWSDateTime'" in result.errors[0].message


async def test_subscriptions_receive_their_arguments_and_context() -> None:
    seen: list[tuple[str, dict[str, Any], Any]] = []

    async def subscribe(field_name: str, arguments: dict[str, Any], context: Any) -> Any:
        seen.append((field_name, arguments, context))
        yield {"id": "n1", "color": "GREEN"}

    schema = build_mirror_schema(sdl(), subscribe=subscribe)
    stream = await schema.subscribe('subscription { onTouch(id: "n1") { id color } }', context_value="ctx")
    first = await anext(stream)
    assert first.data == {"onTouch": {"id": "n1", "color": "GREEN"}}
    assert seen == [("onTouch", {"id": "n1"}, "ctx")]
