"""The mirror's @aws_subscribe fan-out on its own: which mutation feeds which subscription, and the filter."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import parse

from mirror.appsync_sdl import appsync_schema, schema_text
from mirror.subscriptions import PubSub, Subscriber, mutation_results, subscription_triggers


def subscriber(field_name: str, received: list[dict[str, Any]], **arguments: Any) -> Subscriber:
    return Subscriber(field_name=field_name, arguments=arguments, selection=None, deliver=received.append)


def test_triggers_are_read_from_aws_subscribe() -> None:
    assert subscription_triggers(appsync_schema()) == {
        "onCommentAdded": ("commentOnEvent",),
        "onCommentDeleted": ("deleteComment",),
        "onEventChanged": (
            "updateEvent",
            "rsvp",
            "cancelRsvp",
            "joinWaitlist",
            "leaveWaitlist",
            "deleteEvent",
            "publishEventChanged",
        ),
    }


@pytest.mark.parametrize(
    ("arguments", "result", "delivered"),
    [
        pytest.param({"eventId": "e1"}, {"eventId": "e1", "id": "c1"}, True, id="equal"),
        pytest.param({"eventId": "e1"}, {"eventId": "e2", "id": "c1"}, False, id="another-event"),
        pytest.param({"eventId": "e1"}, {"id": "c1"}, False, id="result-lacks-the-field"),
        pytest.param({"eventId": "e1"}, {"eventId": None}, False, id="result-field-null"),
        pytest.param({"eventId": None}, {"eventId": "e2"}, True, id="argument-null-filters-nothing"),
        pytest.param({}, {"eventId": "e2"}, True, id="no-arguments"),
    ],
)
def test_arguments_filter_by_equality_with_the_results_fields(
    arguments: dict[str, Any], result: dict[str, Any], delivered: bool
) -> None:
    pubsub = PubSub(appsync_schema())
    received: list[dict[str, Any]] = []
    pubsub.subscribe(subscriber("onCommentAdded", received, **arguments))
    assert pubsub.publish("commentOnEvent", result) == int(delivered)
    assert received == ([{"data": {"onCommentAdded": result}}] if delivered else [])


def test_only_the_named_mutations_feed_a_subscription_and_unsubscribing_stops_delivery() -> None:
    pubsub = PubSub(appsync_schema())
    comments: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    on_comment = subscriber("onCommentAdded", comments, eventId="e1")
    pubsub.subscribe(on_comment)
    pubsub.subscribe(subscriber("onEventChanged", changes, id="e1"))
    assert pubsub.publish("rsvp", {"id": "e1", "attendeeCount": 3}) == 1
    assert pubsub.publish("createEvent", {"id": "e1"}) == 0
    assert pubsub.publish("commentOnEvent", "not an object") == 0
    assert [change["data"]["onEventChanged"]["attendeeCount"] for change in changes] == [3]
    assert comments == []
    pubsub.unsubscribe(on_comment)
    assert pubsub.publish("commentOnEvent", {"eventId": "e1"}) == 0


def test_mutation_results_name_each_root_field_of_the_chosen_operation() -> None:
    document = parse(
        """
        mutation One { seat: rsvp(eventId: "e1") { id } commentOnEvent(eventId: "e1", content: "x") { id } }
        mutation Two { cancelRsvp(eventId: "e1") { id } }
        """
    )
    data = {"seat": {"id": "e1"}, "commentOnEvent": None}
    assert list(mutation_results(document, "One", data)) == [("rsvp", {"id": "e1"})]
    assert list(mutation_results(document, "Two", {"cancelRsvp": {"id": "e1"}})) == [("cancelRsvp", {"id": "e1"})]


def test_after_a_schema_reload_the_new_triggers_feed_the_subscribers_already_there(tmp_path: Path) -> None:
    pubsub = PubSub(appsync_schema())
    comments: list[dict[str, Any]] = []
    pubsub.subscribe(subscriber("onCommentAdded", comments, eventId="e1"))
    edited = tmp_path / "schema.graphql"
    edited.write_text(schema_text().replace('mutations: ["commentOnEvent"]', 'mutations: ["rsvp"]'), encoding="utf-8")
    reloaded = appsync_schema(edited)
    assert subscription_triggers(reloaded)["onCommentAdded"] == ("rsvp",)
    pubsub.follow(reloaded)
    assert pubsub.publish("commentOnEvent", {"eventId": "e1"}) == 0
    assert pubsub.publish("rsvp", {"eventId": "e1"}) == 1
    assert comments == [{"data": {"onCommentAdded": {"eventId": "e1"}}}]
