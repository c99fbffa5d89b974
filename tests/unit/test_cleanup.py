"""What a deleted event leaves, removed step by step (moto): every item of its partition (RSVPs, waitlist places,
comments) and its users' seats, a page per step, a marker carrying the work on, and a step run twice doing no
harm."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from resolvers.identity import Caller
from resolvers.inputs import EventInput
from resolvers.logic import comments, events, seats, waitlist
from resolvers.logic.stream_changes import ItemChange, follow
from resolvers.store import GatherStore
from resolvers.store.cleanup import CLEANUP_PAGE, CleanupStep
from resolvers.store.core import key_item
from resolvers.table_definition import cleanup_key, event_key, rsvp_key, seat_key
from tests.unit.conftest import ADA, NOW


def _fields(capacity: int) -> EventInput:
    return {
        "title": "Meetup",
        "venue": "Hall",
        "startsAt": "2030-06-01T18:00:00Z",
        "endsAt": "2030-06-01T20:00:00Z",
        "capacity": capacity,
    }


def _mentioning(store: GatherStore, text: str) -> list[dict[str, Any]]:
    items = store.client.scan(TableName=store.table_name)["Items"]
    return [item for item in items if text in str(item)]


def _write_rsvps(store: GatherStore, event_id: str, user_ids: list[str]) -> None:
    items = [{**key_item(rsvp_key(event_id, user)), "userId": {"S": user}} for user in user_ids]
    items += [{**key_item(seat_key(user, event_id)), "eventId": {"S": event_id}} for user in user_ids]
    for start in range(0, len(items), 25):
        requests: Any = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        store.client.batch_write_item(RequestItems={store.table_name: requests})


def _record(store: GatherStore, kind: str, key: Any) -> ItemChange:
    """The stream record of the item under ``key`` (as it is now for INSERT/MODIFY, as it was for REMOVE)."""
    item = store.table.get(key, consistent=True) or {}
    image = {name: TypeDeserializer().deserialize(value) for name, value in item.items()}  # as powertools reads it
    keys = key.attributes()
    return ItemChange(kind, keys, image if kind == "REMOVE" else {}, image if kind != "REMOVE" else {})  # type: ignore[arg-type]


def test_a_deleted_event_is_cleaned_a_page_at_a_time_until_nothing_mentions_it(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(1), NOW)
    attendees = [Caller(f"user-{n}", f"User {n}") for n in range(CLEANUP_PAGE + 10)]
    seats.rsvp(store, attendees[0], event["id"], NOW)
    for waiting in ("wait-1", "wait-2"):
        waitlist.join_waitlist(store, Caller(waiting, waiting), event["id"], NOW)
    assert store.waitlist.positions("wait-2", [event["id"]]) == {event["id"]: 2}
    _write_rsvps(store, event["id"], [attendee.user_id for attendee in attendees[1:]])  # as rsvp writes them, faster
    comments.comment_on_event(store, ADA, event["id"], "see you", NOW)
    removed = _record(store, "REMOVE", event_key(event["id"]))
    events.delete_event(store, ADA, event["id"])

    first = follow(store, removed, NOW)
    assert isinstance(first, CleanupStep)
    assert not first.done
    assert CLEANUP_PAGE < first.deleted <= 2 * CLEANUP_PAGE  # a page of items, each RSVP with its user's seat
    marker = _record(store, "INSERT", cleanup_key(event["id"]))
    assert marker.new["round"] == 1
    second = follow(store, marker, NOW)
    assert isinstance(second, CleanupStep)
    assert second.done
    assert _mentioning(store, event["id"]) == []
    assert seats.my_rsvps(store, attendees[0], {}, NOW, b"secret")["items"] == []

    again = follow(store, marker, NOW)  # a retried record: nothing left to do, nothing broken
    assert isinstance(again, CleanupStep)
    assert (again.done, again.deleted) == (True, 0)


def test_other_changes_start_no_work(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(3), NOW)
    assert follow(store, _record(store, "INSERT", event_key(event["id"])), NOW) is None
    assert follow(store, _record(store, "MODIFY", event_key(event["id"])), NOW) is None  # nobody waiting
    assert follow(store, _record(store, "REMOVE", cleanup_key(event["id"])), NOW) is None
    assert store.events.get(event["id"]) is not None
