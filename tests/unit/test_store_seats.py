"""resolvers/store/seats.py on moto: an RSVP and the event's count change together, or not at all."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from resolvers.errors import AlreadyRsvped, EventFull, NotFound, NotRsvped
from resolvers.records import EventRecord, UserRecord
from resolvers.store import GatherStore
from resolvers.store import seats as seat_store
from resolvers.table_definition import seat_move_key
from tests.unit.conftest import ADA_USER, event_record

BOB = UserRecord(id="bob", displayName="Bob")
CY = UserRecord(id="cy", displayName="Cy")
AT = "2030-05-01T12:00:00.000Z"


def _count(store: GatherStore, event_id: str = "e1") -> int:
    event = store.events.get(event_id, consistent=True)
    assert event is not None
    return event["attendeeCount"]


def test_a_seat_is_taken_once_and_never_beyond_capacity(store: GatherStore) -> None:
    store.events.create(event_record(capacity=2), ADA_USER)
    store.seats.add_attendee("e1", BOB, AT)
    with pytest.raises(AlreadyRsvped):
        store.seats.add_attendee("e1", BOB, AT)
    store.seats.add_attendee("e1", CY, AT)
    with pytest.raises(EventFull):
        store.seats.add_attendee("e1", ADA_USER, AT)
    assert _count(store) == 2
    assert store.seats.held("ada", ["e1"]) == set()
    with pytest.raises(NotFound):
        store.seats.add_attendee("missing", BOB, AT)


def test_a_seat_is_given_back_once(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    store.seats.add_attendee("e1", BOB, AT)
    store.seats.remove_attendee("e1", "bob")
    assert _count(store) == 0
    assert store.seats.upcoming_of("bob", "2000", 10, None) == ([], None)
    with pytest.raises(NotRsvped):
        store.seats.remove_attendee("e1", "bob")
    with pytest.raises(NotFound):
        store.seats.remove_attendee("missing", "bob")
    assert _count(store) == 0


def test_an_attendee_can_be_named_and_keeps_a_chosen_name(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    store.users.put(UserRecord(id="bob", displayName="Robert"))
    store.seats.add_attendee("e1", BOB, AT)
    store.seats.add_attendee("e1", CY, AT)
    assert store.users.get_many(["bob", "cy"]) == {"bob": {"id": "bob", "displayName": "Robert"}, "cy": CY}


def _starting(event_id: str, day: int) -> EventRecord:
    return event_record(event_id, capacity=5, startsAt=f"2030-06-{day:02d}T16:00:00.000Z")


def test_a_users_seats_are_found_from_either_side_by_start_time(store: GatherStore) -> None:
    for number, day in ((0, 9), (1, 3), (2, 5), (3, 1)):
        store.events.create(_starting(f"e{number}", day), ADA_USER)
    for number in (0, 2, 3):
        store.seats.add_attendee(f"e{number}", BOB, AT)
    assert store.seats.held("bob", ["e0", "e1", "e2", "missing"]) == {"e0", "e2"}
    assert store.seats.upcoming_of("bob", "2000", 10, None) == (["e3", "e2", "e0"], None)
    first, position = store.seats.upcoming_of("bob", "2030-06-02", 1, None)
    rest, _ = store.seats.upcoming_of("bob", "2030-06-02", 5, position)
    assert (first, rest) == (["e2"], ["e0"]), "from a start time on, a page at a time"


def test_a_seat_follows_a_start_changed_while_it_is_taken(store: GatherStore) -> None:
    """The start changes between the seat's read of it and its transaction: the seat gets the new start."""
    store.events.create(_starting("e1", 9), ADA_USER)
    other_writer = GatherStore(store.table_name, boto3.client("dynamodb", region_name="us-east-1"))
    transactions: list[str] = []

    def move_start_once(**_: Any) -> None:
        transactions.append("seat")
        if len(transactions) == 1:
            other_writer.events.update("e1", {"startsAt": "2030-06-02T16:00:00.000Z"}, 1, AT)

    store.client.meta.events.register("before-call.dynamodb.TransactWriteItems", move_start_once)
    store.seats.add_attendee("e1", BOB, AT)
    assert len(transactions) == 2, "refused under the old start, taken under the new one"
    assert store.seats.upcoming_of("bob", "2030-06-01", 5, None)[0] == ["e1"]
    assert store.seats.upcoming_of("bob", "2030-06-03", 5, None)[0] == []
    assert _count(store) == 1


def test_moving_seats_gives_every_seat_the_events_current_start_a_page_at_a_time(
    store: GatherStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seat_store, "SEAT_MOVE_PAGE", 4)  # pages of 4 here, of SEAT_MOVE_PAGE on AWS
    store.events.create(event_record("e1", capacity=10, startsAt="2030-06-09T16:00:00.000Z"), ADA_USER)
    people = [UserRecord(id=f"user{n:03d}", displayName=f"User {n}") for n in range(7)]
    for person in people:
        store.seats.add_attendee("e1", person, AT)
    store.seats.remove_attendee("e1", "user001")
    store.events.update("e1", {"startsAt": "2030-06-02T16:00:00.000Z"}, 1, AT)
    first = store.seats.move_step("e1")
    assert (first.moved, first.done) == (seat_store.SEAT_MOVE_PAGE, False)
    marker = store.table.get(seat_move_key("e1"), consistent=True)
    assert marker is not None
    last = store.seats.move_step("e1", marker["after"]["S"])
    assert (last.moved, last.done) == (len(people) - 1 - seat_store.SEAT_MOVE_PAGE, True)
    assert store.table.get(seat_move_key("e1"), consistent=True) is None
    for person in people:
        moved = store.seats.upcoming_of(person["id"], "2030-06-01", 5, None)[0]
        assert moved == ([] if person["id"] == "user001" else ["e1"]), "moved, and a cancelled seat not revived"
        assert store.seats.upcoming_of(person["id"], "2030-06-03", 5, None)[0] == []


def test_attendees_come_a_page_at_a_time(store: GatherStore) -> None:
    store.events.create(event_record(capacity=10), ADA_USER)
    people = [UserRecord(id=f"user{n}", displayName=f"User {n}") for n in range(5)]
    for person in people:
        store.seats.add_attendee("e1", person, AT)
    first, position = store.seats.attendees("e1", 3, None)
    rest, end = store.seats.attendees("e1", 3, position)
    assert first + rest == [person["id"] for person in people]
    assert (len(first), end) == (3, None)
