"""Work that follows a change to the table, done by the stream consumer rather than inside the mutation.

Each stream record is one item's change. Only these start work:

- an event deleted (its ``REMOVE``): the first clean-up step of what it left behind;
- the clean-up marker written (``INSERT``/``MODIFY``): the next step, until nothing is left;
- an event's counts item changed (``MODIFY``) so that a seat is free while people wait (a cancellation, a
  capacity raise, a promotion that left more to do): the first in line get the free seats
  (``resolvers.logic.waitlist``);
- an event's start changed (its counts item's copy, in the ``MODIFY`` of the same edit): the first step moving
  its seat items to the new start (the seats index orders each user's seats by it), before any promotion the
  same change calls for;
- the seat-move marker written: the next page of seats, until all carry the event's current start;
- a user's profile given a new display name (its ``MODIFY``): the first page of the events they host takes it
  (``resolvers/store/host_names.py``);
- the host-names marker written: the next page of their events, until all carry the name the profile holds;
- an event created (its ``INSERT``): its copy of the host's name checked against the profile, in case the host
  renamed while it was written.

Everything else passes through untouched. A step is idempotent, so a record retried by the event source
mapping repeats harmlessly.

A step that changed an event people may be watching names it (``changed_events``): the handler publishes it, so
their pages see the change live (``resolvers.publish``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from resolvers.logic import waitlist
from resolvers.table_definition import (
    CLEANUP_SORT_KEY,
    EVENT_COUNTS_SORT_KEY,
    EVENT_SORT_KEY,
    HOST_NAMES_SORT_KEY,
    PARTITION_KEY,
    PROFILE_SORT_KEY,
    SEAT_MOVE_SORT_KEY,
    SORT_KEY,
    event_partition_key,
)

if TYPE_CHECKING:
    from resolvers.store import GatherStore
    from resolvers.store.cleanup import CleanupStep
    from resolvers.store.host_names import HostNameStep
    from resolvers.store.seats import SeatMoveStep

ChangeKind = Literal["INSERT", "MODIFY", "REMOVE"]
Step: TypeAlias = "CleanupStep | waitlist.Promotion | SeatMoveStep | HostNameStep | None"


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

    @property
    def event_id(self) -> str:
        """The event whose partition holds the item."""
        return str(self.keys.get(PARTITION_KEY, "")).removeprefix(event_partition_key(""))


def follow(store: GatherStore, change: ItemChange, now: datetime) -> Step:
    """Does the work this change calls for; None when it calls for none."""
    if change.sort_key == EVENT_SORT_KEY:
        return _follow_event(store, change)
    if change.sort_key == EVENT_COUNTS_SORT_KEY and change.kind == "MODIFY":
        moved = store.seats.move_step(change.event_id) if _start_changed(change) else None
        if waitlist.seats_for_the_line(change.new):  # promoted seats are taken at the start just moved to
            return waitlist.promote(store, change.event_id, now)
        return moved
    if change.sort_key == PROFILE_SORT_KEY and change.kind == "MODIFY" and _renamed(change):
        return store.host_names.step(str(change.new["id"]))
    if change.kind != "REMOVE":
        return _follow_marker(store, change)
    return None


def _follow_event(store: GatherStore, change: ItemChange) -> Step:
    """An event deleted: the first clean-up step; an event created: its copy of its host's name checked."""
    if change.kind == "REMOVE":
        return store.cleanup.step(str(change.old["id"]))
    named = change.new.get("hostName")
    if change.kind == "INSERT" and named:
        return store.host_names.check_event(str(change.new["id"]), str(change.new["hostId"]), str(named))
    return None


def _follow_marker(store: GatherStore, change: ItemChange) -> Step:
    """The next step of work carried on by its marker's rewrite."""
    if change.sort_key == CLEANUP_SORT_KEY:
        return store.cleanup.step(str(change.new["eventId"]), int(change.new.get("round", 0)))
    if change.sort_key == SEAT_MOVE_SORT_KEY:
        return store.seats.move_step(str(change.new["eventId"]), str(change.new["after"]))
    if change.sort_key == HOST_NAMES_SORT_KEY:
        return store.host_names.step(str(change.new["userId"]), str(change.new["after"]))
    return None


def _start_changed(change: ItemChange) -> bool:
    """Both images name a start, and not the same one (a record without its old image moves nothing)."""
    before, after = change.old.get("startsAt"), change.new.get("startsAt")
    return before is not None and after is not None and before != after


def _renamed(change: ItemChange) -> bool:
    """The profile names the user differently now (a record without its old image renames nothing)."""
    before, after = change.old.get("displayName"), change.new.get("displayName")
    return before is not None and after is not None and before != after


def changed_events(step: Step) -> tuple[str, ...]:
    """The events whose watchers should hear of this step, as they are now: an event whose line got seats (its
    counts changed, and the promoted visitors' pages show their seat). A clean-up step changes none: its event is
    gone, and deleteEvent already told its subscribers. Moving seats changes no field a watcher sees, nor does a
    host's new name (the publish carries the event's own fields, not its host)."""
    if isinstance(step, waitlist.Promotion) and step.changed:
        return (step.event_id,)
    return ()
