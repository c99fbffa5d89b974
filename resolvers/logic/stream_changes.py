"""Work that follows a change to the table, done by the stream consumer rather than inside the mutation.

Each stream record is one item's change. Only two kinds start work:

- an event deleted (its ``REMOVE``): the first clean-up step of what it left behind;
- the clean-up marker written (``INSERT``/``MODIFY``): the next step, until nothing is left.

Everything else passes through untouched. A step is idempotent, so a record retried by the event source
mapping repeats harmlessly.

A step that changed an event people may be watching names it (``changed_events``): the handler publishes it, so
their pages see the change live (``resolvers.publish``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

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


def follow(store: GatherStore, change: ItemChange) -> CleanupStep | None:
    """Does the work this change calls for; None when it calls for none."""
    if change.sort_key == EVENT_SORT_KEY and change.kind == "REMOVE":
        return store.cleanup.step(str(change.old["id"]))
    if change.sort_key == CLEANUP_SORT_KEY and change.kind != "REMOVE":
        return store.cleanup.step(str(change.new["eventId"]), int(change.new.get("round", 0)))
    return None


def changed_events(step: CleanupStep | None) -> tuple[str, ...]:
    """The events whose watchers should hear of this step, as they are now. A clean-up step changes none: its event
    is gone, and deleteEvent already told its subscribers."""
    del step
    return ()
