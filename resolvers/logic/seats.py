"""RSVPs: a seat per person, never more seats taken than the event has (DynamoDB enforces both)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from resolvers.errors import NotFound
from resolvers.identity import Caller
from resolvers.logic.events import user_record
from resolvers.logic.validation import to_aws_datetime
from resolvers.records import EventRecord

if TYPE_CHECKING:
    from resolvers.store import GatherStore


def rsvp(store: GatherStore, caller: Caller, event_id: str, now: datetime) -> EventRecord:
    store.seats.add_attendee(event_id, user_record(caller), to_aws_datetime(now))
    return _reloaded(store, event_id)


def cancel_rsvp(store: GatherStore, caller: Caller, event_id: str) -> EventRecord:
    store.seats.remove_attendee(event_id, caller.user_id)
    return _reloaded(store, event_id)


def _reloaded(store: GatherStore, event_id: str) -> EventRecord:
    event = store.events.get(event_id, consistent=True)
    if event is None:
        raise NotFound(f"Event {event_id} does not exist")
    return event
