"""The mirror serves exactly schema.graphql, and the handler serves exactly its fields."""

from __future__ import annotations

from collections.abc import Collection

from graphql import (
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
    get_named_type,
)

from mirror.appsync_sdl import appsync_schema, served_schema
from mirror.strawberry_schema import build_mirror_schema
from mirror.subscriptions import subscription_triggers
from resolvers.api import served_fields
from resolvers.batching import BATCH_MAX_SIZE


def _mirror() -> GraphQLSchema:
    """The schema the mirror's Strawberry types make, as a client sees it (printed, then read back)."""
    return build_schema(build_mirror_schema(appsync_schema()).as_str())


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


def fields_without_resolver(schema: GraphQLSchema, served: Collection[tuple[str, str]]) -> list[str]:
    """Query and Mutation fields no Lambda resolver serves (tests/test_extending.py shows a new one lands here)."""
    roots = [root for root in (schema.query_type, schema.mutation_type) if root is not None]
    return [f"{root.name}.{name}" for root in roots for name in root.fields if (root.name, name) not in served]


def test_every_root_field_has_a_resolver() -> None:
    """The handler refuses a second registration of a field when it is imported; here, none is missing."""
    assert fields_without_resolver(served_schema(), served_fields()) == []


def test_subscriptions_are_fed_by_existing_mutations_of_their_type() -> None:
    """Subscriptions have no resolver: @aws_subscribe names the mutations whose results they deliver."""
    schema = served_schema()
    assert schema.subscription_type is not None
    assert schema.mutation_type is not None
    triggers = subscription_triggers(appsync_schema())
    assert set(triggers) == set(schema.subscription_type.fields)
    for subscription, mutations in triggers.items():
        assert mutations, subscription
        returns = get_named_type(schema.subscription_type.fields[subscription].type)
        for mutation in mutations:
            assert get_named_type(schema.mutation_type.fields[mutation].type) is returns, (subscription, mutation)
    assert not [key for key in served_fields() if key[0] == "Subscription"]


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
