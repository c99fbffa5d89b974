"""resolvers/store/waitlist.py on moto: a line per event in joining order, places counted with the line, and
promotion that gives free seats to the front of the line once, within capacity, a transaction at a time."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.errors import AlreadyAttending, AlreadyWaiting, EventFull, EventNotFull, NotFound, NotWaiting
from resolvers.inputs import EventInput
from resolvers.records import EventRecord, UserRecord
from resolvers.store import GatherStore
from resolvers.store.waitlist import PROMOTIONS_PER_TRANSACTION
from tests.unit.conftest import ADA_USER, event_record

AT = "2030-05-01T12:00:00.000Z"
PEOPLE = [UserRecord(id=f"user{n:03d}", displayName=f"User {n}") for n in range(PROMOTIONS_PER_TRANSACTION + 3)]


def _event(store: GatherStore) -> EventRecord:
    event = store.events.get("e1", consistent=True)
    assert event is not None
    return event


def _full_event(store: GatherStore, capacity: int = 1) -> None:
    """e1 with every seat taken by ADA_USER and the first PEOPLE."""
    store.events.create(event_record(capacity=capacity), ADA_USER)
    for person in [ADA_USER, *PEOPLE][:capacity]:
        store.seats.add_attendee("e1", person, AT)


def _line(store: GatherStore, people: list[UserRecord]) -> None:
    for person in people:
        store.waitlist.join("e1", person, AT)


def _raise_capacity(store: GatherStore, capacity: int) -> None:
    store.events.update("e1", EventInput(capacity=capacity), _event(store)["version"], AT)


def test_only_a_full_event_has_a_line_and_each_person_joins_it_once(store: GatherStore) -> None:
    store.events.create(event_record(capacity=1), ADA_USER)
    with pytest.raises(EventNotFull):
        store.waitlist.join("e1", PEOPLE[0], AT)
    store.seats.add_attendee("e1", ADA_USER, AT)
    with pytest.raises(AlreadyAttending):
        store.waitlist.join("e1", ADA_USER, AT)
    assert [store.waitlist.join("e1", person, AT) for person in PEOPLE[:3]] == [1, 2, 3]
    with pytest.raises(AlreadyWaiting):
        store.waitlist.join("e1", PEOPLE[1], AT)
    with pytest.raises(NotFound):
        store.waitlist.join("missing", PEOPLE[0], AT)
    assert _event(store)["waitlistCount"] == 3
    assert store.waitlist.positions("user002", ["e1", "missing"]) == {"e1": 3}
    assert store.waitlist.positions("ada", ["e1"]) == {}
    assert [place["userId"] for place in store.waitlist.front("e1", 5)] == ["user000", "user001", "user002"]


def test_leaving_moves_those_behind_up_and_is_refused_without_a_place(store: GatherStore) -> None:
    _full_event(store)
    _line(store, PEOPLE[:3])
    store.waitlist.leave("e1", "user000")
    assert store.waitlist.positions("user002", ["e1"]) == {"e1": 2}
    assert _event(store)["waitlistCount"] == 2
    with pytest.raises(NotWaiting):
        store.waitlist.leave("e1", "user000")
    with pytest.raises(NotFound):
        store.waitlist.leave("missing", "user000")
    assert store.waitlist.join("e1", PEOPLE[0], AT) == 4  # back at the end of the line, with a new ticket
    assert store.waitlist.positions("user000", ["e1"]) == {"e1": 3}


def test_a_free_seat_belongs_to_the_line_until_it_is_promoted(store: GatherStore) -> None:
    _full_event(store)
    _line(store, PEOPLE[1:2])
    store.seats.remove_attendee("e1", "ada")
    with pytest.raises(EventFull):  # nobody passes the line
        store.seats.add_attendee("e1", PEOPLE[2], AT)
    store.waitlist.join("e1", PEOPLE[2], AT)  # a seat is free, but it is the line's: joining it is still open
    assert [place["userId"] for place in store.waitlist.promote_front("e1", AT)] == ["user001"]
    event = _event(store)
    assert (event["attendeeCount"], event["waitlistCount"]) == (1, 1)
    assert store.seats.held("user001", ["e1"]) == {"e1"}
    assert store.seats.upcoming_of("user001", "2000", 5, None) == (["e1"], None), "seated at the event's start"
    assert store.waitlist.positions("user001", ["e1"]) == {}
    assert store.waitlist.promote_front("e1", AT) == []  # full again
    with pytest.raises(NotWaiting):
        store.waitlist.leave("e1", "user001")


def test_a_capacity_raise_is_promoted_in_order_one_bounded_transaction_at_a_time(store: GatherStore) -> None:
    _full_event(store)
    waiting = PEOPLE[: PROMOTIONS_PER_TRANSACTION + 3]  # a transaction's worth, a second transaction, one left
    _line(store, waiting)
    _raise_capacity(store, 1 + len(waiting) - 1)
    steps = []
    while promoted := store.waitlist.promote_front("e1", AT):
        steps.append([place["userId"] for place in promoted])
    assert [len(step) for step in steps] == [PROMOTIONS_PER_TRANSACTION, 2]
    assert [user for step in steps for user in step] == [person["id"] for person in waiting[:-1]]
    event = _event(store)
    assert (event["attendeeCount"], event["capacity"], event["waitlistCount"]) == (len(waiting), len(waiting), 1)
    assert store.waitlist.positions(waiting[-1]["id"], ["e1"]) == {"e1": 1}


def _before_each_transaction(store: GatherStore, action: Any) -> None:
    """Runs ``action`` once, just before the store's next transaction is sent: a write that lands between its
    read and its write."""
    done: list[bool] = []

    def interfere(**_: Any) -> None:
        if not done:
            done.append(True)
            action()

    store.client.meta.events.register("before-call.dynamodb.TransactWriteItems", interfere)


def test_a_place_left_between_read_and_write_is_not_promoted(store: GatherStore) -> None:
    _full_event(store)
    _line(store, PEOPLE[1:4])
    store.seats.remove_attendee("e1", "ada")
    _before_each_transaction(store, lambda: store.waitlist.leave("e1", "user001"))
    assert [place["userId"] for place in store.waitlist.promote_front("e1", AT)] == ["user002"]
    assert store.seats.held("user001", ["e1"]) == set()
    assert (_event(store)["attendeeCount"], _event(store)["waitlistCount"]) == (1, 1)


def test_two_promoters_at_once_promote_each_place_once_and_never_past_capacity(store: GatherStore) -> None:
    _full_event(store)
    _line(store, PEOPLE[1:4])
    store.seats.remove_attendee("e1", "ada")
    rival: list[list[str]] = []
    _before_each_transaction(
        store, lambda: rival.append([place["userId"] for place in store.waitlist.promote_front("e1", AT)])
    )
    assert store.waitlist.promote_front("e1", AT) == []  # the rival took the one free seat first
    assert rival == [["user001"]]
    event = _event(store)
    assert (event["attendeeCount"], event["waitlistCount"]) == (1, 2)
    assert [place["userId"] for place in store.waitlist.front("e1", 5)] == ["user002", "user003"]


def test_a_join_that_loses_the_race_for_its_ticket_takes_the_next(store: GatherStore) -> None:
    _full_event(store)
    _before_each_transaction(store, lambda: store.waitlist.join("e1", PEOPLE[1], AT))
    assert store.waitlist.join("e1", PEOPLE[2], AT) == 2
    assert [place["userId"] for place in store.waitlist.front("e1", 5)] == ["user001", "user002"]
    assert _event(store)["waitlistCount"] == 2
