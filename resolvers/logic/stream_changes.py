"""Work that follows a change to the table, done by the stream consumer rather than inside the mutation.

Each stream record is one item's change. Only three kinds start work:

- an event deleted (its ``REMOVE``): the first clean-up step of what it left behind;
- the clean-up marker written (``INSERT``/``MODIFY``): the next step, until nothing is left;
- an event changed (``MODIFY``) so that a seat is free while people wait (a cancellation, a capacity raise, a
  promotion that left more to do): the first in line get the free seats (``resolvers.logic.waitlist``).

Everything else passes through untouched. A step is idempotent, so a record retried by the event source
mapping repeats harmlessly.

A step that changed an event people may be watching names it (``changed_events``): the handler publishes it, so
their pages see the change live (``resolvers.publish``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from resolvers.logic import waitlist
from resolvers.table_definition import CLEANUP_SORT_KEY, EVENT_SORT_KEY, SORT_KEY

if TYPE_CHECKING:
    from resolvers.store import GatherStore
    from resolvers.store.cleanup import CleanupStep

ChangeKind = Literal["INSERT", "MODIFY", "REMOVE"]


@dataclass(frozen=True)
class ItemChange:
    """One stream record: what happened to which item, with its images (attribute values as Python values)."""

    kind: ChangeKind
    keys: Mapping[str, Any]
    old: Mapping[str, Any]
    new: Mapping[str, Any]

    @property
    def sort_key(self) -> str:
        return str(self.keys.get(SORT_KEY, ""))


def follow(store: GatherStore, change: ItemChange, now: datetime) -> CleanupStep | waitlist.Promotion | None:
    """Does the work this change calls for; None when it calls for none."""
    if change.sort_key == EVENT_SORT_KEY and change.kind == "REMOVE":
        return store.cleanup.step(str(change.old["id"]))
    if change.sort_key == EVENT_SORT_KEY and change.kind == "MODIFY" and waitlist.seats_for_the_line(change.new):
        return waitlist.promote(store, str(change.new["id"]), now)
    if change.sort_key == CLEANUP_SORT_KEY and change.kind != "REMOVE":
        return store.cleanup.step(str(change.new["eventId"]), int(change.new.get("round", 0)))
    return None


def changed_events(step: CleanupStep | waitlist.Promotion | None) -> tuple[str, ...]:
    """The events whose watchers should hear of this step, as they are now: an event whose line got seats (its
    counts changed, and the promoted visitors' pages show their seat). A clean-up step changes none: its event is
    gone, and deleteEvent already told its subscribers."""
    if isinstance(step, waitlist.Promotion) and step.changed:
        return (step.event_id,)
    return ()
