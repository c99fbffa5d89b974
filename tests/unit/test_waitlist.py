"""Waitlist rules and promotion by the stream consumer's logic (moto): positions per caller in a batch, and a
freed seat or a capacity raise promoted from the counts item's own stream records, a bounded amount per record,
each record's promotion carrying the rest on."""

from __future__ import annotations

from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer

from resolvers.errors import AlreadyWaiting, EventFull, NotWaiting
from resolvers.identity import Caller
from resolvers.inputs import EventInput
from resolvers.logic import events, seats, waitlist
from resolvers.logic.stream_changes import ItemChange, follow
from resolvers.logic.waitlist import Promotion
from resolvers.records import EventRecord
from resolvers.store import GatherStore
from resolvers.store import waitlist as store_waitlist
from resolvers.table_definition import event_counts_key
from tests.unit.conftest import ADA, BOB, NOW

PEOPLE = [Caller(f"user{n:04d}", f"User {n}") for n in range(10)]


def _full_event(store: GatherStore) -> EventRecord:
    fields: EventInput = {
        "title": "Meetup",
        "venue": "Hall",
        "startsAt": "2030-06-01T18:00:00Z",
        "endsAt": "2030-06-01T20:00:00Z",
        "capacity": 1,
    }
    event = events.create_event(store, ADA, fields, NOW)
    return seats.rsvp(store, ADA, event["id"], NOW)


def _counts_change(store: GatherStore, event_id: str) -> ItemChange:
    """The event's counts item's MODIFY record as the stream carries it after its last change."""
    item = store.table.get(event_counts_key(event_id), consistent=True) or {}
    image = {name: TypeDeserializer().deserialize(value) for name, value in item.items()}
    return ItemChange("MODIFY", event_counts_key(event_id).attributes(), {}, image)


def _promoted(promotion: Any) -> list[str]:
    assert isinstance(promotion, Promotion)
    return [place["userId"] for place in promotion.promoted]


def test_join_and_leave_answer_the_event_as_they_left_it(store: GatherStore) -> None:
    event = _full_event(store)
    assert waitlist.join_waitlist(store, BOB, event["id"], NOW)["waitlistCount"] == 1
    with pytest.raises(AlreadyWaiting):
        waitlist.join_waitlist(store, BOB, event["id"], NOW)
    assert waitlist.leave_waitlist(store, BOB, event["id"])["waitlistCount"] == 0
    with pytest.raises(NotWaiting):
        waitlist.leave_waitlist(store, BOB, event["id"])


def test_positions_are_each_callers_own_and_none_for_the_api_key(store: GatherStore) -> None:
    first, second = _full_event(store), _full_event(store)
    for person in PEOPLE[:3]:
        waitlist.join_waitlist(store, person, first["id"], NOW)
    waitlist.join_waitlist(store, PEOPLE[2], second["id"], NOW)
    callers = [PEOPLE[2], PEOPLE[2], PEOPLE[0], None, ADA]
    asked = [first["id"], second["id"], first["id"], first["id"], first["id"]]
    assert waitlist.waitlist_positions(store, callers, asked) == [3, 1, 1, None, None]


def test_a_cancellation_is_promoted_from_the_counts_items_change(store: GatherStore) -> None:
    event = _full_event(store)
    for person in PEOPLE[:2]:
        waitlist.join_waitlist(store, person, event["id"], NOW)
    assert follow(store, _counts_change(store, event["id"]), NOW) is None  # full: nothing to do
    cancelled = seats.cancel_rsvp(store, ADA, event["id"])
    assert (cancelled["attendeeCount"], cancelled["waitlistCount"]) == (0, 2)  # the mutation promotes nobody
    with pytest.raises(EventFull):
        seats.rsvp(store, BOB, event["id"], NOW)
    promotion = follow(store, _counts_change(store, event["id"]), NOW)
    assert _promoted(promotion) == [PEOPLE[0].user_id]
    assert isinstance(promotion, Promotion)
    assert (promotion.done, promotion.changed) == (True, True)
    assert seats.has_seats(store, [PEOPLE[0], PEOPLE[1]], [event["id"]] * 2) == [True, False]
    assert waitlist.waitlist_positions(store, [PEOPLE[1]], [event["id"]]) == [1]
    assert follow(store, _counts_change(store, event["id"]), NOW) is None  # the promotion's own change: full again


def test_a_capacity_raise_is_promoted_across_records_each_bounded(
    store: GatherStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With smaller bounds than deployed (moto copies the table for every transaction: a line of hundreds is
    slow here); the deployed bounds are used on DynamoDB Local (tests/integration/test_waitlist.py)."""
    monkeypatch.setattr(waitlist, "PROMOTION_TRANSACTIONS_PER_CHANGE", 2)
    monkeypatch.setattr(store_waitlist, "PROMOTIONS_PER_TRANSACTION", 3)
    event = _full_event(store)
    for person in PEOPLE:
        waitlist.join_waitlist(store, person, event["id"], NOW)
    per_record = 2 * 3
    seats_freed = per_record + 2
    assert seats_freed < len(PEOPLE)
    raised = {"id": event["id"], "expectedVersion": event["version"], "capacity": 1 + seats_freed}
    events.update_event(store, ADA, raised, NOW)  # type: ignore[arg-type]
    first = follow(store, _counts_change(store, event["id"]), NOW)
    assert isinstance(first, Promotion)
    assert (len(first.promoted), first.done) == (per_record, False)
    second = follow(store, _counts_change(store, event["id"]), NOW)  # the last promotion's record carries it on
    assert isinstance(second, Promotion)
    assert (len(second.promoted), second.done) == (2, True)
    assert _promoted(first) + _promoted(second) == [person.user_id for person in PEOPLE[:seats_freed]]
    after = store.events.get(event["id"], consistent=True)
    assert after is not None
    assert (after["attendeeCount"], after["waitlistCount"]) == (1 + seats_freed, len(PEOPLE) - seats_freed)
    assert follow(store, _counts_change(store, event["id"]), NOW) is None


def test_a_deleted_events_line_promotes_nobody(store: GatherStore) -> None:
    event = _full_event(store)
    waitlist.join_waitlist(store, BOB, event["id"], NOW)
    seats.cancel_rsvp(store, ADA, event["id"])
    change = _counts_change(store, event["id"])
    events.delete_event(store, ADA, event["id"])
    promotion = follow(store, change, NOW)
    assert isinstance(promotion, Promotion)
    assert (promotion.promoted, promotion.done, promotion.changed) == ((), True, False)
