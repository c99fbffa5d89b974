"""Every operation and every error, through gql over HTTP against the mirror and DynamoDB Local."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import RunningStack
from tests.integration.conftest import EVENT_FIELDS, Api, event_input

UPDATE = f"mutation($input: UpdateEventInput!) {{ updateEvent(input: $input) {{ {EVENT_FIELDS} }} }}"
RSVP = "mutation($id: ID!) { rsvp(eventId: $id) { id attendeeCount capacity } }"
CANCEL = "mutation($id: ID!) { cancelRsvp(eventId: $id) { id attendeeCount } }"
COMMENT = (
    "mutation($id: ID!, $content: String!) { commentOnEvent(eventId: $id, content: $content) "
    "{ id eventId content createdAt author { id displayName } } }"
)
COMMENTS = """query($id: ID!, $limit: Int, $token: String) {
  getEvent(id: $id) {
    comments(limit: $limit, nextToken: $token) { items { id content author { displayName } } nextToken }
  }
}"""
LIST = """query($limit: Int, $token: String) {
  listEvents(limit: $limit, nextToken: $token) { items { id startsAt } nextToken }
}"""


# Reads ----------------------------------------------------------------------------------------------


def test_demo_data_lists_upcoming_events_with_hosts(api_as: Callable[[str | None], Api]) -> None:
    page = api_as(None).run("{ listEvents(limit: 50) { items { title startsAt host { displayName } } } }")
    titles = {event["title"]: event["host"]["displayName"] for event in page["listEvents"]["items"]}
    assert titles["Python meetup: type hints in practice"] == "Ada"
    assert titles["Community garden work day"] == "Grace"


def test_get_event_returns_what_was_created(host: Api, api_as: Callable[[str | None], Api]) -> None:
    created = host.create_event(title="  Trimmed title  ", capacity=3)
    fetched = api_as(None).get_event(created["id"])
    assert fetched == created
    assert fetched["title"] == "Trimmed title"
    assert fetched["attendeeCount"] == 0
    assert fetched["version"] == 1
    assert fetched["startsAt"].endswith("Z")


def test_get_event_of_unknown_id_is_null(api_as: Callable[[str | None], Api]) -> None:
    assert api_as(None).get_event(str(uuid.uuid4())) is None


def test_list_events_pages_in_start_order_without_repeats(host: Api, api_as: Callable[[str | None], Api]) -> None:
    mine = {host.create_event()["id"] for _ in range(3)}
    reader = api_as(None)
    seen: list[dict[str, Any]] = []
    token = None
    while True:
        page = reader.run(LIST, limit=2, token=token)["listEvents"]
        assert len(page["items"]) <= 2
        seen.extend(page["items"])
        token = page["nextToken"]
        if token is None:
            break
    ids = [event["id"] for event in seen]
    assert len(ids) == len(set(ids))
    assert mine <= set(ids)
    starts = [event["startsAt"] for event in seen]
    assert starts == sorted(starts)


def test_tampered_next_token_is_refused(api_as: Callable[[str | None], Api]) -> None:
    reader = api_as(None)
    token = reader.run(LIST, limit=1)["listEvents"]["nextToken"]
    body, signature = token.split(".")
    forged = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + signature
    for bad in (forged, "not-a-token", token + "x"):
        assert reader.error(LIST, limit=1, token=bad)["errorType"] == "InvalidNextToken"


def test_next_token_of_one_list_is_refused_by_another(host: Api, api_as: Callable[[str | None], Api]) -> None:
    event = host.create_event()
    for text in ("one", "two"):
        host.run(COMMENT, id=event["id"], content=text)
    events_token = api_as(None).run(LIST, limit=1)["listEvents"]["nextToken"]
    error = host.error(COMMENTS, id=event["id"], limit=1, token=events_token)
    assert error["errorType"] == "InvalidNextToken"
    assert error["path"] == ["getEvent", "comments"]


@pytest.mark.parametrize("limit", [0, 101, -1])
def test_limits_out_of_range_are_refused(api_as: Callable[[str | None], Api], limit: int) -> None:
    assert api_as(None).error(LIST, limit=limit)["errorType"] == "InvalidLimit"


# Creating and editing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "expected_type", "words"),
    [
        ({"startsAt": "next tuesday"}, "ValidationError", "AWSDateTime"),
        ({"startsAt": "2031-01-01T10:00:00"}, "ValidationError", "AWSDateTime"),
        ({"endsAt": "2031-13-01T10:00:00Z"}, "ValidationError", "AWSDateTime"),
        ({"startsAt": "2031-01-02T10:00:00Z", "endsAt": "2031-01-01T10:00:00Z"}, "InvalidEndsAt", "endsAt"),
        ({"startsAt": "2001-01-01T10:00:00Z", "endsAt": "2001-01-01T12:00:00Z"}, "InvalidStartsAt", "future"),
        ({"capacity": 0}, "InvalidCapacity", "capacity"),
        ({"title": "   "}, "InvalidTitle", "title"),
        ({"title": "x" * 201}, "InvalidTitle", "title"),
        ({"venue": ""}, "InvalidVenue", "venue"),
        ({"description": "d" * 4001}, "InvalidDescription", "description"),
    ],
)
def test_bad_events_are_refused_and_nothing_is_written(
    host: Api, overrides: dict[str, Any], expected_type: str, words: str, local_stack: RunningStack
) -> None:
    before = _item_count(local_stack)
    error = host.error(
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }", input=event_input(**overrides)
    )
    assert error["errorType"] == expected_type
    assert words in error["message"]
    assert _item_count(local_stack) == before


def test_writes_need_a_signed_in_caller(api_as: Callable[[str | None], Api], host: Api) -> None:
    """The API key alone reads; the schema's @aws_cognito_user_pools refuses it every write, as AppSync does."""
    anonymous = api_as(None)
    event = host.create_event()
    create = "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }"
    for field, document, variables in (
        ("createEvent", create, {"input": event_input()}),
        ("rsvp", RSVP, {"id": event["id"]}),
        ("commentOnEvent", COMMENT, {"id": event["id"], "content": "hi"}),
        ("deleteEvent", "mutation($id: ID!) { deleteEvent(id: $id) { id } }", {"id": event["id"]}),
    ):
        error = anonymous.error(document, **variables)
        assert error["errorType"] == "Unauthorized"
        assert error["message"] == f"Not Authorized to access {field} on type Mutation"
    assert host.get_event(event["id"]) == event


def test_update_event_changes_fields_and_bumps_version(host: Api) -> None:
    event = host.create_event()
    updated = host.run(UPDATE, input={"id": event["id"], "expectedVersion": 1, "title": "Renamed", "capacity": 20})
    changed = updated["updateEvent"]
    assert changed["title"] == "Renamed"
    assert changed["capacity"] == 20
    assert changed["version"] == 2
    assert changed["venue"] == event["venue"]
    assert changed["updatedAt"] >= event["updatedAt"]


def test_update_with_a_stale_version_is_refused(host: Api) -> None:
    event = host.create_event()
    host.run(UPDATE, input={"id": event["id"], "expectedVersion": 1, "title": "First edit"})
    error = host.error(UPDATE, input={"id": event["id"], "expectedVersion": 1, "title": "Lost edit"})
    assert error["errorType"] == "VersionConflict"
    assert host.get_event(event["id"])["title"] == "First edit"  # type: ignore[index]


def test_update_errors(host: Api, guest: Api) -> None:
    event = host.create_event(capacity=2)
    guest.run(RSVP, id=event["id"])
    host_as_guest = host  # the host takes the second seat
    host_as_guest.run(RSVP, id=event["id"])
    cases = [
        ({"id": str(uuid.uuid4()), "expectedVersion": 1, "title": "x"}, "NotFound"),
        ({"id": event["id"], "expectedVersion": 1, "capacity": 1}, "CapacityBelowAttendance"),
        ({"id": event["id"], "expectedVersion": 1, "endsAt": "2000-01-01T00:00:00Z"}, "InvalidEndsAt"),
        ({"id": event["id"], "expectedVersion": 1, "title": None}, "InvalidTitle"),
        ({"id": event["id"], "expectedVersion": 1}, "ValidationError"),
    ]
    for change, expected in cases:
        assert host.error(UPDATE, input=change)["errorType"] == expected, change
    assert host.get_event(event["id"]) == {**event, "attendeeCount": 2}


def test_delete_event_returns_it_and_removes_it(host: Api) -> None:
    event = host.create_event()
    host.run(COMMENT, id=event["id"], content="bye")
    deleted = host.run("mutation($id: ID!) { deleteEvent(id: $id) { id title } }", id=event["id"])["deleteEvent"]
    assert deleted == {"id": event["id"], "title": event["title"]}
    assert host.get_event(event["id"]) is None
    again = host.error("mutation($id: ID!) { deleteEvent(id: $id) { id } }", id=event["id"])
    assert again["errorType"] == "NotFound"


# Seats ------------------------------------------------------------------------------------------


def test_rsvp_and_cancel(host: Api, guest: Api) -> None:
    event = host.create_event(capacity=2)
    assert guest.run(RSVP, id=event["id"])["rsvp"]["attendeeCount"] == 1
    assert guest.error(RSVP, id=event["id"])["errorType"] == "AlreadyRsvped"
    assert guest.run(CANCEL, id=event["id"])["cancelRsvp"]["attendeeCount"] == 0
    assert guest.error(CANCEL, id=event["id"])["errorType"] == "NotRsvped"
    assert host.get_event(event["id"])["attendeeCount"] == 0  # type: ignore[index]


def test_full_event_refuses_another_seat(host: Api, api_as: Callable[[str | None], Api]) -> None:
    event = host.create_event(capacity=1)
    api_as("first-comer").run(RSVP, id=event["id"])
    error = api_as("late-comer").error(RSVP, id=event["id"])
    assert error["errorType"] == "EventFull"
    assert error["path"] == ["rsvp"]
    assert host.get_event(event["id"])["attendeeCount"] == 1  # type: ignore[index]


def test_seats_at_unknown_events(guest: Api) -> None:
    unknown = str(uuid.uuid4())
    assert guest.error(RSVP, id=unknown)["errorType"] == "NotFound"
    assert guest.error(CANCEL, id=unknown)["errorType"] in {"NotFound", "NotRsvped"}


# Comments ---------------------------------------------------------------------------------------


def test_comment_appears_newest_first_with_its_author(host: Api, guest: Api) -> None:
    event = host.create_event()
    first = guest.run(COMMENT, id=event["id"], content="First!")["commentOnEvent"]
    second = host.run(COMMENT, id=event["id"], content="  Second  ")["commentOnEvent"]
    assert first["author"]["displayName"].startswith("guest-")
    assert second["content"] == "Second"
    page = guest.run(COMMENTS, id=event["id"], limit=10)["getEvent"]["comments"]
    assert [c["content"] for c in page["items"]] == ["Second", "First!"]
    assert page["nextToken"] is None


def test_comments_page_past_the_preview(host: Api) -> None:
    event = host.create_event()
    written = [f"comment {n:02d}" for n in range(25)]
    for text in written:
        host.run(COMMENT, id=event["id"], content=text)
    read: list[str] = []
    token = None
    while True:
        page = host.run(COMMENTS, id=event["id"], limit=7, token=token)["getEvent"]["comments"]
        read.extend(c["content"] for c in page["items"])
        token = page["nextToken"]
        if token is None:
            break
    assert read == list(reversed(written))


def test_a_teaser_of_long_comments_is_shorter_than_asked_and_goes_on_in_the_table(host: Api) -> None:
    # A head holds only what fits in one read unit: a comment at its longest (8 KB) never, so a teaser may
    # hold fewer than its limit, or none, with a nextToken that continues from there on DynamoDB Local.
    longest = "\U0001f389" * 2000
    for written in (["a", longest, "b"], [longest]):
        event = host.create_event()
        for text in written:
            host.run(COMMENT, id=event["id"], content=text)
        teaser = host.run(COMMENTS, id=event["id"], limit=3)["getEvent"]["comments"]
        assert [c["content"] for c in teaser["items"]] == [t for t in reversed(written) if t != longest][:1]
        assert teaser["nextToken"] is not None
        rest = host.run(COMMENTS, id=event["id"], limit=3, token=teaser["nextToken"])["getEvent"]["comments"]
        assert [c["content"] for c in teaser["items"] + rest["items"]] == list(reversed(written))
        assert rest["nextToken"] is None


@pytest.mark.parametrize(("content", "words"), [("   ", "content"), ("c" * 2001, "content")])
def test_bad_comments_are_refused(host: Api, content: str, words: str) -> None:
    event = host.create_event()
    error = host.error(COMMENT, id=event["id"], content=content)
    assert error["errorType"] == "InvalidContent"
    assert words in error["message"]
    assert host.run(COMMENTS, id=event["id"])["getEvent"]["comments"]["items"] == []


def test_comment_on_unknown_event(guest: Api) -> None:
    assert guest.error(COMMENT, id=str(uuid.uuid4()), content="hello?")["errorType"] == "NotFound"


# The endpoint itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "da2-wrong"])
def test_missing_or_wrong_api_key_is_refused_like_appsync(local_stack: RunningStack, key: str | None) -> None:
    headers = {} if key is None else {"x-api-key": key}
    response = local_stack.http.post(
        local_stack.graphql_url, json={"query": "{ listEvents { nextToken } }"}, headers=headers
    )
    assert response.status_code == 401
    assert response.json() == {
        "errors": [{"errorType": "UnauthorizedException", "message": "You are not authorized to make this call."}]
    }


def test_errors_carry_path_and_locations(local_stack: RunningStack) -> None:
    body = local_stack.graphql('query {\n  getEvent(id: "x") { id }\n  listEvents(limit: 0) { nextToken }\n}')
    assert body["data"] is None or body["data"]["listEvents"] is None
    (error,) = body["errors"]
    assert error["path"] == ["listEvents"]
    assert error["locations"] == [{"line": 3, "column": 3, "sourceName": None}]
    assert error["errorType"] == "InvalidLimit"


def test_unknown_fields_are_validation_errors(local_stack: RunningStack) -> None:
    body = local_stack.graphql("{ listEvents { nope } }")
    assert body["errors"][0]["errorType"] == "ValidationError"
    assert "nope" in body["errors"][0]["message"]


def _item_count(local_stack: RunningStack) -> int:
    client = local_stack.stack.dynamodb_client()
    count = 0
    for page in client.get_paginator("scan").paginate(TableName=local_stack.stack.options.table_name, Select="COUNT"):
        count += page["Count"]
    return count
