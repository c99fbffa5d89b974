"""Waitlists: a full event's line for seats, and the promotion that gives a freed seat to the first in it.

Joining is for a full event (or one whose free seats already belong to the line), and not for someone who
holds a seat; while anyone waits, ``rsvp`` is refused, so nobody passes the line. Promotion is the stream
consumer's work (``resolvers/logic/stream_changes.py``), not the mutation's: a cancellation answers at once,
and a capacity raise that frees thousands of seats is promoted a transaction at a time, each change to the
event's counts item carrying the work on while seats are free and people wait.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from resolvers.identity import Caller
from resolvers.logic.seats import asked_per_user, reloaded
from resolvers.logic.users import user_record
from resolvers.logic.validation import to_aws_datetime
from resolvers.records import EventRecord

if TYPE_CHECKING:
    from resolvers.store import GatherStore
    from resolvers.store.waitlist import PlaceRecord

PROMOTION_TRANSACTIONS_PER_CHANGE: Final = 5
"""Transactions one stream record may run (about 120 promotions, a second or two); when seats and waiters
remain, the last transaction's own change to the counts item carries the work on in the next invocation."""


@dataclass(frozen=True)
class Promotion:
    """What one change's promotion did: which places got seats, in line order, and whether any work is left."""

    event_id: str
    promoted: tuple[PlaceRecord, ...]
    done: bool
    """No seat is free for the line any more (or nobody waits, or the event is gone)."""

    @property
    def changed(self) -> bool:
        """Whether the event changed (its counts, its attendees): what watchers of the event should hear of."""
        return bool(self.promoted)


def join_waitlist(store: GatherStore, caller: Caller, event_id: str, now: datetime) -> EventRecord:
    store.waitlist.join(event_id, user_record(caller), to_aws_datetime(now))
    return reloaded(store, event_id)


def leave_waitlist(store: GatherStore, caller: Caller, event_id: str) -> EventRecord:
    store.waitlist.leave(event_id, caller.user_id)
    return reloaded(store, event_id)


def waitlist_positions(store: GatherStore, callers: list[Caller | None], event_ids: list[str]) -> list[int | None]:
    """Event.waitlistPosition for a batch (callers[i] asks about event_ids[i]): one lookup per caller, however
    many events, and a count only where the caller waits; None for the API key and where the caller does not."""
    wanted = asked_per_user(callers, event_ids)
    places = {user_id: store.waitlist.positions(user_id, ids) for user_id, ids in wanted.items()}
    return [
        None if caller is None else places[caller.user_id].get(event_id)
        for caller, event_id in zip(callers, event_ids, strict=True)
    ]


def seats_for_the_line(event: Mapping[str, Any]) -> bool:
    """Whether an event's counts item (as a stream image) has a free seat and someone waiting for it."""
    waiting = int(event.get("waitlistCount", 0))
    return waiting > 0 and int(event.get("attendeeCount", 0)) < int(event.get("capacity", 0))


def promote(store: GatherStore, event_id: str, now: datetime) -> Promotion:
    """Gives the event's free seats to the first in line, a bounded number of transactions at a time."""
    promoted: list[PlaceRecord] = []
    for _ in range(PROMOTION_TRANSACTIONS_PER_CHANGE):
        places = store.waitlist.promote_front(event_id, to_aws_datetime(now))
        if not places:
            return Promotion(event_id, tuple(promoted), done=True)
        promoted.extend(places)
    return Promotion(event_id, tuple(promoted), done=False)
