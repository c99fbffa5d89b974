"""Every field the Lambda serves, through the real handler in process on AppSync-shaped events (moto underneath):
what each answers, and the errorType each refusal reports."""

from __future__ import annotations

from typing import Any, get_type_hints

import pytest
from graphql import GraphQLInputObjectType, GraphQLNonNull

from mirror.appsync_sdl import served_schema
from resolvers.errors import FIELD_ERRORS
from resolvers.identity import ADMINS_GROUP
from resolvers.inputs import EDITABLE_EVENT_FIELDS
from resolvers.records import EventRecord
from tests.unit.appsync_events import Failed, InProcessLambda

NEW_EVENT: dict[str, Any] = {
    "title": "Meetup",
    "description": "Talks and tea",
    "venue": "Hall",
    "startsAt": "2099-06-01T18:00:00+02:00",
    "endsAt": "2099-06-01T20:00:00+02:00",
    "timeZone": "Europe/Berlin",
    "capacity": 2,
}
CHANGED: dict[str, Any] = {
    "title": "Evening",
    "description": "Only tea",
    "venue": "Garden",
    "startsAt": "2099-06-02T17:00:00.000Z",
    "endsAt": "2099-06-02T21:00:00.000Z",
    "timeZone": "Asia/Tokyo",
    "capacity": 5,
}
"""A valid value of each editable field, other than NEW_EVENT's, in the form it is stored."""
BAD: dict[str, Any] = {
    "title": "",
    "description": "x" * 5000,
    "venue": " ",
    "startsAt": "soon",
    "endsAt": "2000-01-01T00:00:00Z",
    "timeZone": "Mars/Olympus",
    "capacity": 0,
}
"""A value breaking each editable field's own rule."""


def _create(api: InProcessLambda, user: str = "ada", **overrides: Any) -> dict[str, Any]:
    event = api.call("Mutation", "createEvent", {"input": {**NEW_EVENT, **overrides}}, user=user)
    assert not isinstance(event, Failed), event
    return dict(event)


def _update(
    api: InProcessLambda, event: dict[str, Any], fields: dict[str, Any], user: str = "ada", groups: tuple[str, ...] = ()
) -> Any:
    update = {"id": event["id"], "expectedVersion": event["version"], **fields}
    return api.call("Mutation", "updateEvent", {"input": update}, user=user, groups=groups)


def _input_fields(name: str) -> dict[str, bool]:
    """The input's editable fields, each with whether GraphQL lets a client send it null."""
    declared = served_schema().get_type(name)
    assert isinstance(declared, GraphQLInputObjectType)
    return {
        field: not isinstance(value.type, GraphQLNonNull)
        for field, value in declared.fields.items()
        if field in EDITABLE_EVENT_FIELDS
    }


RECORD_TYPES = get_type_hints(EventRecord)
REMOVABLE = {field for field in EDITABLE_EVENT_FIELDS if type(None) in getattr(RECORD_TYPES[field], "__args__", ())}


def test_an_event_from_creation_to_deletion(lambda_api: InProcessLambda) -> None:
    event = _create(lambda_api)
    assert (event["startsAt"], event["hostId"], event["version"]) == ("2099-06-01T16:00:00.000Z", "ada", 1)
    assert lambda_api.call("Query", "getEvent", {"id": event["id"]}) == event
    host = {"id": "ada", "displayName": "Ada"}
    assert event["hostName"] == host["displayName"], "the event carries its host's name"
    listed = lambda_api.call("Query", "listEvents", {"limit": 5}, selection=("items/description",))
    assert listed == {"items": [event], "nextToken": None}
    (short,) = lambda_api.call("Query", "listEvents", {"limit": 5}, selection=("items/title",))["items"]
    assert short == {**event, "description": None}, "the details item read only if asked for"
    assert lambda_api.batch("Event", "host", [short]) == [host]
    edited = _update(lambda_api, event, {"title": "  Meetup II ", "capacity": 3})
    assert (edited["title"], edited["capacity"], edited["version"]) == ("Meetup II", 3, 2)
    seated = lambda_api.call("Mutation", "rsvp", {"eventId": event["id"]}, user="bob")
    assert (seated["attendeeCount"], seated["waitlistCount"]) == (1, 0)
    assert lambda_api.batch("Event", "hasSeat", [seated, seated], user="bob") == [True, True]
    assert lambda_api.batch("Event", "hasSeat", [seated], user="ada") == [False]
    assert lambda_api.batch("Event", "hasSeat", [seated]) == [None]
    assert lambda_api.batch("Event", "host", [seated]) == [{"id": "ada", "displayName": "Ada"}]
    assert lambda_api.call("Query", "myRsvps", {}, user="bob", selection=("items/description",))["items"] == [seated]
    comment = lambda_api.call("Mutation", "commentOnEvent", {"eventId": event["id"], "content": " hi "}, user="bob")
    assert (comment["content"], comment["author"]) == ("hi", {"id": "bob", "displayName": "Bob"})
    pages = lambda_api.batch("Event", "comments", [seated], arguments={"limit": 3}, selection=("items/author",))
    assert pages == [{"items": [comment], "nextToken": None}]
    assert lambda_api.call("Mutation", "deleteComment", {"eventId": event["id"], "id": comment["id"]}, user="ada")
    assert lambda_api.call("Mutation", "cancelRsvp", {"eventId": event["id"]}, user="bob")["attendeeCount"] == 0
    assert lambda_api.call("Mutation", "deleteEvent", {"id": event["id"]}, user="ada")["id"] == event["id"]
    assert lambda_api.call("Query", "getEvent", {"id": event["id"]}) is None


def test_the_callers_own_profile(lambda_api: InProcessLambda) -> None:
    assert lambda_api.call("Query", "me", user="cy") == {"id": "cy", "displayName": "Cy"}
    assert lambda_api.call("Mutation", "setDisplayName", {"displayName": " Cyrus "}, user="cy") == {
        "id": "cy",
        "displayName": "Cyrus",
    }
    assert lambda_api.call("Query", "me", user="cy")["displayName"] == "Cyrus"
    refused = lambda_api.call("Mutation", "setDisplayName", {"displayName": " "}, user="cy")
    assert refused.errorType == "InvalidDisplayName"


def test_a_waitlist_through_the_handler(lambda_api: InProcessLambda) -> None:
    event = _create(lambda_api, capacity=1)
    assert lambda_api.call("Mutation", "joinWaitlist", {"eventId": event["id"]}, user="bob").errorType == "EventNotFull"
    lambda_api.call("Mutation", "rsvp", {"eventId": event["id"]}, user="ada")
    assert lambda_api.call("Mutation", "joinWaitlist", {"eventId": event["id"]}, user="ada").errorType == (
        "AlreadyAttending"
    )
    joined = lambda_api.call("Mutation", "joinWaitlist", {"eventId": event["id"]}, user="bob")
    assert (joined["attendeeCount"], joined["waitlistCount"]) == (1, 1)
    lambda_api.call("Mutation", "joinWaitlist", {"eventId": event["id"]}, user="cy")
    assert lambda_api.call("Mutation", "joinWaitlist", {"eventId": event["id"]}, user="cy").errorType == (
        "AlreadyWaiting"
    )
    other = _create(lambda_api)
    listed = [joined, other, joined]
    assert lambda_api.batch("Event", "waitlistPosition", listed, user="cy") == [2, None, 2]
    assert lambda_api.batch("Event", "waitlistPosition", listed, user="bob") == [1, None, 1]
    assert lambda_api.batch("Event", "waitlistPosition", listed) == [None, None, None]
    lambda_api.call("Mutation", "cancelRsvp", {"eventId": event["id"]}, user="ada")
    assert lambda_api.call("Mutation", "rsvp", {"eventId": event["id"]}, user="dee").errorType == "EventFull"
    left = lambda_api.call("Mutation", "leaveWaitlist", {"eventId": event["id"]}, user="bob")
    assert (left["attendeeCount"], left["waitlistCount"]) == (0, 1)
    assert lambda_api.call("Mutation", "leaveWaitlist", {"eventId": event["id"]}, user="bob").errorType == "NotWaiting"
    assert lambda_api.batch("Event", "waitlistPosition", [left], user="cy") == [1]


@pytest.mark.parametrize(
    ("request_", "error_type"),
    [
        (("Mutation", "createEvent", {"input": NEW_EVENT}, None), "SignInRequired"),
        (("Query", "me", {}, None), "SignInRequired"),
        (("Query", "listEvents", {"limit": 0}, None), "InvalidLimit"),
        (("Query", "listEvents", {"nextToken": "forged.token"}, None), "InvalidNextToken"),
        (("Query", "myRsvps", {"limit": 101}, "bob"), "InvalidLimit"),
        (("Mutation", "rsvp", {"eventId": "missing"}, "bob"), "NotFound"),
        (("Mutation", "deleteEvent", {"id": "missing"}, "bob"), "NotFound"),
        (("Mutation", "commentOnEvent", {"eventId": "missing", "content": "hi"}, "bob"), "NotFound"),
        (("Mutation", "joinWaitlist", {"eventId": "missing"}, "bob"), "NotFound"),
        (("Mutation", "leaveWaitlist", {"eventId": "missing"}, "bob"), "NotFound"),
        (("Mutation", "joinWaitlist", {"eventId": "missing"}, None), "SignInRequired"),
    ],
)
def test_refusals_name_their_error_type(
    lambda_api: InProcessLambda, request_: tuple[str, str, dict[str, Any], str | None], error_type: str
) -> None:
    parent, field, arguments, user = request_
    assert lambda_api.call(parent, field, arguments, user=user).errorType == error_type


def test_ownership_and_versions(lambda_api: InProcessLambda) -> None:
    event = _create(lambda_api)
    assert _update(lambda_api, event, {"title": "Mine"}, user="bob").errorType == "Unauthorized"
    assert _update(lambda_api, event, {"title": "Admin's"}, "root", (ADMINS_GROUP,))["version"] == 2
    assert _update(lambda_api, event, {"title": "Stale"}).errorType == "VersionConflict"
    assert lambda_api.call("Mutation", "deleteEvent", {"id": event["id"]}, user="bob").errorType == "Unauthorized"
    assert _update(lambda_api, {**event, "version": 2}, {}).errorType == "ValidationError"


@pytest.mark.parametrize("field", EDITABLE_EVENT_FIELDS)
def test_a_bad_value_of_each_editable_field_reports_that_fields_error(lambda_api: InProcessLambda, field: str) -> None:
    expected = FIELD_ERRORS[field].__name__
    created = lambda_api.call("Mutation", "createEvent", {"input": {**NEW_EVENT, field: BAD[field]}}, user="ada")
    assert created.errorType == expected
    assert _update(lambda_api, _create(lambda_api), {field: BAD[field]}).errorType == expected


@pytest.mark.parametrize("first", range(len(EDITABLE_EVENT_FIELDS)))
def test_of_several_bad_fields_the_first_in_the_inputs_order_is_reported(
    lambda_api: InProcessLambda, first: int
) -> None:
    bad = {field: BAD[field] for field in EDITABLE_EVENT_FIELDS[first:]}
    expected = FIELD_ERRORS[EDITABLE_EVENT_FIELDS[first]].__name__
    assert lambda_api.call("Mutation", "createEvent", {"input": {**NEW_EVENT, **bad}}, user="ada").errorType == expected
    assert _update(lambda_api, _create(lambda_api), bad).errorType == expected


@pytest.mark.parametrize(("field", "nullable"), _input_fields("UpdateEventInput").items())
def test_null_in_an_edit_removes_an_optional_field_and_is_that_fields_error_elsewhere(
    lambda_api: InProcessLambda, field: str, nullable: bool
) -> None:
    """Derived from the inputs' fields: every editable field may be sent null in an edit; only a field the
    record declares optional (``X | None``) can be removed, and any other reports its own errorType."""
    assert nullable
    event = _create(lambda_api)
    answer = _update(lambda_api, event, {field: None})
    if field in REMOVABLE:
        assert answer[field] is None
        assert lambda_api.call("Query", "getEvent", {"id": event["id"]})[field] is None
    else:
        assert answer.errorType == FIELD_ERRORS[field].__name__
        assert lambda_api.call("Query", "getEvent", {"id": event["id"]}) == event


@pytest.mark.parametrize(("field", "nullable"), _input_fields("CreateEventInput").items())
def test_null_on_creation_is_left_out_where_the_schema_allows_it_and_that_fields_error_elsewhere(
    lambda_api: InProcessLambda, field: str, nullable: bool
) -> None:
    """A field the schema lets a client send null is left out (its default, or none); a required one that
    reaches the Lambda null anyway (AppSync's own checks refuse it first) reports its own errorType."""
    created = lambda_api.call("Mutation", "createEvent", {"input": {**NEW_EVENT, field: None}}, user="ada")
    if nullable:
        left_out = lambda_api.call("Mutation", "createEvent", {"input": _without(field)}, user="ada")
        assert created[field] == left_out[field]
    else:
        assert created.errorType == FIELD_ERRORS[field].__name__
        assert lambda_api.call("Query", "listEvents", {})["items"] == []


def _without(field: str) -> dict[str, Any]:
    return {name: value for name, value in NEW_EVENT.items() if name != field}


def test_every_editable_field_can_be_changed_at_once(lambda_api: InProcessLambda) -> None:
    event = _create(lambda_api)
    edited = _update(lambda_api, event, {field: CHANGED[field] for field in EDITABLE_EVENT_FIELDS})
    assert {field: edited[field] for field in EDITABLE_EVENT_FIELDS} == CHANGED
    assert lambda_api.call("Query", "getEvent", {"id": event["id"]}) == edited
