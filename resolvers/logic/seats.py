"""RSVPs: a seat per person, never more seats taken than the event has (DynamoDB enforces both)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from resolvers.errors import NotFound
from resolvers.identity import Caller
from resolvers.logic import validation
from resolvers.logic.paging import decode_token, encode_token
from resolvers.logic.users import user_record
from resolvers.logic.validation import to_aws_datetime
from resolvers.records import EventPage, EventRecord, UserPage

if TYPE_CHECKING:
    from resolvers.inputs import PageArguments
    from resolvers.store import GatherStore


def rsvp(store: GatherStore, caller: Caller, event_id: str, now: datetime) -> EventRecord:
    store.seats.add_attendee(event_id, user_record(caller), to_aws_datetime(now))
    return reloaded(store, event_id)


def cancel_rsvp(store: GatherStore, caller: Caller, event_id: str) -> EventRecord:
    store.seats.remove_attendee(event_id, caller.user_id)
    return reloaded(store, event_id)


def reloaded(store: GatherStore, event_id: str) -> EventRecord:
    """The event as the mutation left it (a strongly consistent read), for the mutation's answer."""
    event = store.events.get(event_id, consistent=True)
    if event is None:
        raise NotFound(f"Event {event_id} does not exist")
    return event


def asked_per_user(callers: list[Caller | None], event_ids: list[str]) -> dict[str, list[str]]:
    """A batch of per-caller fields (callers[i] asks about event_ids[i]) as the events each signed-in user asked
    about, so each user's answers come from one lookup; the API key asks as nobody."""
    wanted: dict[str, list[str]] = {}
    for caller, event_id in zip(callers, event_ids, strict=True):
        if caller is not None:
            wanted.setdefault(caller.user_id, []).append(event_id)
    return wanted


def has_seats(store: GatherStore, callers: list[Caller | None], event_ids: list[str]) -> list[bool | None]:
    """Event.hasSeat for a batch (callers[i] asks about event_ids[i]): one lookup per caller, however many
    events; None for a caller with the API key alone."""
    held = {user_id: store.seats.held(user_id, ids) for user_id, ids in asked_per_user(callers, event_ids).items()}
    return [
        None if caller is None else event_id in held[caller.user_id]
        for caller, event_id in zip(callers, event_ids, strict=True)
    ]


def attendees_pages(store: GatherStore, requests: Sequence[tuple[str, PageArguments]], secret: bytes) -> list[UserPage]:
    """Event.attendees for a batch: a page of each event's attendees, and all their names in one lookup."""
    read = [
        store.seats.attendees(
            event_id,
            validation.page_size(arguments.get("limit")),
            decode_token(_attendees_scope(event_id), arguments.get("nextToken"), secret),
        )
        for event_id, arguments in requests
    ]
    names = store.users.get_many(user_id for user_ids, _ in read for user_id in user_ids)
    return [
        UserPage(
            items=[names[user_id] for user_id in user_ids if user_id in names],
            nextToken=encode_token(_attendees_scope(event_id), last, secret),
        )
        for (event_id, _), (user_ids, last) in zip(requests, read, strict=True)
    ]


def _attendees_scope(event_id: str) -> str:
    return f"attendees:{event_id}"


def my_rsvps(
    store: GatherStore, caller: Caller, arguments: PageArguments, now: datetime, secret: bytes, *, details: bool = False
) -> EventPage:
    """The caller's events not yet ended, in startsAt order, a page at a time (their details if ``details``).

    The seats index is read from the earliest start an event still running could have (no event lasts longer
    than ``DURATION_MAX``), so seats of events long past are never read. The events that ended within that
    window, or were deleted, are dropped, and reading goes on until the page is full or the seats end.
    """
    scope = f"myRsvps:{caller.user_id}"
    size = validation.page_size(arguments.get("limit"))
    position = decode_token(scope, arguments.get("nextToken"), secret)
    ended_before = to_aws_datetime(now)
    started_after = to_aws_datetime(now - validation.DURATION_MAX)
    page: list[EventRecord] = []
    while True:
        event_ids, position = store.seats.upcoming_of(caller.user_id, started_after, size - len(page), position)
        held = {event["id"]: event for event in store.events.get_many(event_ids, details=details)}
        page.extend(
            held[event_id] for event_id in event_ids if event_id in held and held[event_id]["endsAt"] > ended_before
        )
        if position is None or len(page) >= size:
            return EventPage(items=page, nextToken=encode_token(scope, position, secret))
