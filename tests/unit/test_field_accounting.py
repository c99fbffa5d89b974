"""Every field is accounted for: the one check gather dev, its reloads and cdk synth run, on the real schema and
resolvers, and on schemas that break each rule (each named in its message)."""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

import pytest

from mirror.appsync_sdl import appsync_schema, schema_text
from mirror.field_accounting import UnaccountedFields, check_fields, field_sources, unaccounted_fields
from resolvers.api import ROUTERS, SERVED_FIELDS
from resolvers.registry import RecordingRouter


class Place(TypedDict):
    name: str


class Gathering(TypedDict):
    id: str
    place: Place


def _schema(tmp_path: Path, old: str, new: str) -> Path:
    text = schema_text()
    assert old in text
    path = tmp_path / "schema.graphql"
    path.write_text(text.replace(old, new, 1))
    return path


def test_the_schema_and_the_resolvers_agree() -> None:
    assert unaccounted_fields(appsync_schema(), SERVED_FIELDS, field_sources(ROUTERS)) == []


def test_a_query_field_without_a_resolver_is_named(tmp_path: Path) -> None:
    schema = appsync_schema(_schema(tmp_path, "type Query {", "type Query {\n  eventsByTag(tag: String!): [Event!]!"))
    assert unaccounted_fields(schema, SERVED_FIELDS, field_sources(ROUTERS)) == [
        "Query.eventsByTag: no resolver is registered for it"
    ]


def test_an_object_field_neither_resolved_nor_in_its_parents_record_is_named(tmp_path: Path) -> None:
    schema = appsync_schema(_schema(tmp_path, "  venue: String!\n", "  venue: String!\n  ticketUrl: AWSURL!\n"))
    assert unaccounted_fields(schema, SERVED_FIELDS, field_sources(ROUTERS)) == [
        "Event.ticketUrl: no resolver, and EventRecord (returned by Mutation.cancelRsvp) has no ticketUrl"
    ]


def test_a_resolver_for_a_field_the_schema_lacks_is_named() -> None:
    router = RecordingRouter()

    @router.resolver(type_name="Event", field_name="tag")
    def tag() -> str:
        return "music"

    served = {**SERVED_FIELDS, ("Event", "tag"): None, ("Venue", "name"): None}
    problems = unaccounted_fields(appsync_schema(), served, field_sources((*ROUTERS, router)))
    assert problems == [
        "Event.tag: a resolver is registered, but Event has no field tag",
        "Venue.name: a resolver is registered, but schema.graphql has no type Venue",
    ]


def test_records_are_followed_into_nested_records_and_an_untyped_one_is_named(tmp_path: Path) -> None:
    router = RecordingRouter()

    @router.resolver(type_name="Query", field_name="gathering")
    def gathering() -> Gathering | None:
        return None

    @router.resolver(type_name="Query", field_name="loose")
    def loose() -> dict[str, object]:
        return {}

    added = "type Query {\n  gathering: Gathering\n  loose: Place\n"
    types = "type Gathering { id: ID!\n place: Place! }\ntype Place { name: String!\n city: String }\n"
    path = _schema(tmp_path, "type Query {", added)
    path.write_text(path.read_text() + types)
    served = {**SERVED_FIELDS, ("Query", "gathering"): None, ("Query", "loose"): None}
    assert unaccounted_fields(appsync_schema(path), served, field_sources((*ROUTERS, router))) == [
        "Place.city: no resolver, and Place (returned by Gathering.place) has no city",
        "Place.name: no resolver, and Query.loose returns no typed record to read it from",
        "Place.city: no resolver, and Query.loose returns no typed record to read it from",
    ]


def test_subscriptions_follow_appsyncs_rules(tmp_path: Path) -> None:
    schema = appsync_schema(
        _schema(
            tmp_path,
            '@aws_subscribe(mutations: ["commentOnEvent"])',
            '@aws_subscribe(mutations: ["commentOnEvnt", "rsvp"])',
        )
    )
    assert unaccounted_fields(schema, SERVED_FIELDS, field_sources(ROUTERS)) == [
        "Subscription.onCommentAdded: @aws_subscribe names commentOnEvnt, which is not a Mutation field",
        "Subscription.onCommentAdded: @aws_subscribe names rsvp, which does not return Comment",
    ]


def test_check_fields_raises_with_every_problem(tmp_path: Path) -> None:
    schema = appsync_schema(_schema(tmp_path, "type Query {", "type Query {\n  a: Int\n  b: Int"))
    with pytest.raises(UnaccountedFields) as refused:
        check_fields(schema, SERVED_FIELDS, field_sources(ROUTERS))
    assert refused.value.problems == [
        "Query.a: no resolver is registered for it",
        "Query.b: no resolver is registered for it",
    ]
    assert "Query.a" in str(refused.value)
    assert "Query.b" in str(refused.value)
