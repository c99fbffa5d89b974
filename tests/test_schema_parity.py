"""The mirror serves exactly schema.graphql, and the handler serves exactly its fields."""

from __future__ import annotations

from collections import Counter
from typing import Any

from graphql import GraphQLObjectType, GraphQLSchema, find_breaking_changes, find_dangerous_changes

from mirror.appsync_sdl import appsync_schema, served_schema
from mirror.strawberry_schema import build_mirror_schema
from resolvers.batching import BATCH_MAX_SIZE
from resolvers.handler import ROUTERS
from resolvers.registry import served_fields


async def _never_called(*_: Any) -> None:
    raise AssertionError("building a schema resolves nothing")


def _mirror() -> GraphQLSchema:
    return build_mirror_schema(appsync_schema(), set(served_fields()), _never_called)._schema


def test_mirror_and_sdl_have_no_breaking_or_dangerous_change_either_way() -> None:
    sdl, mirror = served_schema(), _mirror()
    for old, new in ((sdl, mirror), (mirror, sdl)):
        assert find_breaking_changes(old, new) == []
        assert find_dangerous_changes(old, new) == []


def test_parity_check_notices_a_difference() -> None:
    """The comparison above is able to fail: a schema missing one mutation is a breaking change."""
    changed = appsync_schema()
    mutation = changed.mutation_type
    assert mutation is not None
    fewer = GraphQLObjectType("Mutation", {k: v for k, v in mutation.fields.items() if k != "rsvp"})
    smaller = GraphQLSchema(query=changed.query_type, mutation=fewer)
    assert find_breaking_changes(served_schema(), smaller)


def test_every_root_field_has_exactly_one_resolver() -> None:
    registrations = Counter(
        key
        for router in ROUTERS
        for registry in (router._resolver_registry, router._batch_resolver_registry)
        for key in registry.resolvers
    )
    assert [key for key, count in registrations.items() if count > 1] == []
    schema = served_schema()
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        if root is None:
            continue
        for field_name in root.fields:
            assert registrations[f"{root.name}.{field_name}"] == 1, f"{root.name}.{field_name} has no resolver"


def test_no_resolver_names_a_field_that_does_not_exist() -> None:
    schema = served_schema()
    for type_name, field_name in served_fields():
        graphql_type = schema.get_type(type_name)
        assert isinstance(graphql_type, GraphQLObjectType), type_name
        assert field_name in graphql_type.fields, f"{type_name}.{field_name}"


def test_batched_fields_are_exactly_the_configured_ones() -> None:
    batched = {key for key, size in served_fields().items() if size is not None}
    assert batched == set(BATCH_MAX_SIZE)
    assert all(0 < size <= 2000 for size in BATCH_MAX_SIZE.values())
