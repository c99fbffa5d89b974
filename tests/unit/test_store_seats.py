"""resolvers/store/seats.py on moto: an RSVP and the event's count change together, or not at all."""

from __future__ import annotations

import pytest

from resolvers.errors import AlreadyRsvped, EventFull, NotFound, NotRsvped
from resolvers.records import UserRecord
from resolvers.store import GatherStore
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
    assert store.seats.events_of("bob") == []
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


def test_a_users_seats_are_found_from_either_side(store: GatherStore) -> None:
    for number in range(3):
        store.events.create(event_record(f"e{number}", capacity=5), ADA_USER)
    for number in (0, 2):
        store.seats.add_attendee(f"e{number}", BOB, AT)
    assert sorted(store.seats.events_of("bob")) == ["e0", "e2"]
    assert store.seats.held("bob", ["e0", "e1", "e2", "missing"]) == {"e0", "e2"}


def test_attendees_come_a_page_at_a_time(store: GatherStore) -> None:
    store.events.create(event_record(capacity=10), ADA_USER)
    people = [UserRecord(id=f"user{n}", displayName=f"User {n}") for n in range(5)]
    for person in people:
        store.seats.add_attendee("e1", person, AT)
    first, position = store.seats.attendees("e1", 3, None)
    rest, end = store.seats.attendees("e1", 3, position)
    assert first + rest == [person["id"] for person in people]
    assert (len(first), end) == (3, None)
