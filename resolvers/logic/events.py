"""Creating, editing, listing and deleting events."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, cast, get_type_hints

from resolvers.errors import NotFound, ValidationError, VersionConflict
from resolvers.identity import Caller
from resolvers.inputs import EDITABLE_EVENT_FIELDS, EventInput, UpdateEventInput
from resolvers.logic import permissions, validation
from resolvers.logic.paging import decode_token, encode_token
from resolvers.logic.users import user_record
from resolvers.records import EventDetailsRecord, EventPage, EventRecord

if TYPE_CHECKING:
    from resolvers.store import GatherStore

UPCOMING_SCOPE = "listEvents"
DETAIL_FIELDS = tuple(get_type_hints(EventDetailsRecord))


def details_selected(selection: Sequence[str]) -> bool:
    """Whether a page's selection (AppSync's selectionSetList) asks for a field stored in the details item."""
    return any(f"items/{name}" in selection for name in DETAIL_FIELDS)


def get_event(store: GatherStore, event_id: str) -> EventRecord | None:
    return store.events.get(event_id)


def list_upcoming(
    store: GatherStore,
    limit: int | None,
    next_token: str | None,
    now: datetime,
    secret: bytes,
    *,
    details: bool = False,
) -> EventPage:
    """Events not yet ended: those that started up to DURATION_MAX ago may still be going on. Their details
    (the long text) are read only if ``details``: a listing rarely shows them."""
    size = validation.page_size(limit)
    position = decode_token(UPCOMING_SCOPE, next_token, secret)
    events, last = store.events.list_upcoming(
        validation.to_aws_datetime(now - validation.DURATION_MAX),
        validation.to_aws_datetime(now),
        size,
        position,
        details=details,
    )
    return EventPage(items=list(events), nextToken=encode_token(UPCOMING_SCOPE, last, secret))


def create_event(store: GatherStore, caller: Caller, fields: EventInput, now: datetime) -> EventRecord:
    """Left out or null, ``description`` is none and ``timeZone`` is UTC; every other field is required. The
    event carries its host's name as the host's profile holds it (the store reads it back if they chose one)."""
    named = {name: fields.get(name) for name in EDITABLE_EVENT_FIELDS}
    if named["timeZone"] is None:
        named["timeZone"] = validation.TIME_ZONE_DEFAULT
    details = _validated(cast("EventInput", named), now)
    stamp = validation.to_aws_datetime(now)
    host = user_record(caller)
    own = {"id": str(uuid.uuid4()), "attendeeCount": 0, "waitlistCount": 0, "version": 1}
    hosted = {"hostId": host["id"], "hostName": host["displayName"], "createdAt": stamp, "updatedAt": stamp}
    return store.events.create(cast("EventRecord", {**details, **own, **hosted}), host)


def update_event(store: GatherStore, caller: Caller, fields: UpdateEventInput, now: datetime) -> EventRecord:
    """Validates the edit against the event as it would become, then writes it if the version holds."""
    event_id = fields["id"]
    expected_version = fields["expectedVersion"]
    current = store.events.get(event_id, consistent=True, details=False)
    if current is None:
        raise NotFound(f"Event {event_id} does not exist")
    permissions.require(caller, "updateEvent", permissions.Holders(current["hostId"]))
    if current["version"] != expected_version:
        raise VersionConflict(f"Event {event_id} is at version {current['version']}, not {expected_version}; reload it")
    changes = _validated(fields, now, current)
    if not changes:
        raise ValidationError("Name at least one field to change")
    return store.events.update(event_id, changes, expected_version, validation.to_aws_datetime(now))


def _validated(fields: EventInput, now: datetime, current: EventRecord | None = None) -> EventInput:
    """The fields named, each by its own rule, in the input's order: the first bad one is reported, with its
    own errorType. Null removes ``description`` and breaks every other field's rule. A new event (no
    ``current``) names every field."""
    changes = EventInput()
    if "title" in fields:
        changes["title"] = validation.required_text("title", fields["title"], validation.TITLE_MAX)
    if "description" in fields:
        changes["description"] = validation.text(
            "description", fields["description"], validation.DESCRIPTION_MAX, required=False
        )
    if "venue" in fields:
        changes["venue"] = validation.required_text("venue", fields["venue"], validation.VENUE_MAX)
    if "startsAt" in fields or "endsAt" in fields:
        starts_at = validation.parse_aws_datetime(
            "startsAt", fields["startsAt"] if "startsAt" in fields or current is None else current["startsAt"]
        )
        ends_at = validation.parse_aws_datetime(
            "endsAt", fields["endsAt"] if "endsAt" in fields or current is None else current["endsAt"]
        )
        validation.schedule(starts_at, ends_at, now if "startsAt" in fields else None)
        changes["startsAt"] = validation.to_aws_datetime(starts_at)
        changes["endsAt"] = validation.to_aws_datetime(ends_at)
    if "timeZone" in fields:
        changes["timeZone"] = validation.time_zone(fields["timeZone"])
    if "capacity" in fields:
        changes["capacity"] = validation.capacity(fields["capacity"])
    return changes


def delete_event(store: GatherStore, caller: Caller, event_id: str) -> EventRecord:
    current = store.events.get(event_id, consistent=True)
    if current is None:
        raise NotFound(f"Event {event_id} does not exist")
    permissions.require(caller, "deleteEvent", permissions.Holders(current["hostId"]))
    return store.events.delete(current)
