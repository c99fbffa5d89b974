"""What clients send: the typed arguments of Gather's mutations and lists, as AppSync passes them.

``EventInput`` is the one declaration of which event fields a client sets: CreateEventInput has exactly
these fields, UpdateEventInput these plus ``id`` and ``expectedVersion`` (``tests/test_one_source.py``
holds them to ``schema.graphql``). Any of them may arrive left out or null; the logic decides what each
means (``resolvers/logic/events.py``).
"""

from __future__ import annotations

from typing import Final, TypedDict


class EventInput(TypedDict, total=False):
    """CreateEventInput, and the editable part of UpdateEventInput."""

    title: str | None
    description: str | None
    venue: str | None
    startsAt: str | None
    endsAt: str | None
    timeZone: str | None
    capacity: int | None


class UpdateEventInput(EventInput):
    """An edit: the fields named change (``description: null`` removes it), if the version still holds."""

    id: str
    expectedVersion: int


class PageArguments(TypedDict, total=False):
    """A list field's arguments (listEvents, myRsvps, Event.comments)."""

    limit: int | None
    nextToken: str | None


EDITABLE_EVENT_FIELDS: Final[tuple[str, ...]] = tuple(EventInput.__annotations__)
"""The fields of an event its host may set and change, in the schema's order (config.json's editableFields)."""
FIELD_ARGUMENTS: Final[tuple[str, ...]] = ("content", "displayName", "limit")
"""Arguments outside the input types whose values have rules of their own (commentOnEvent, setDisplayName and
the lists' page size)."""
CHECKED_FIELDS: Final[tuple[str, ...]] = (*EDITABLE_EVENT_FIELDS, *FIELD_ARGUMENTS)
"""Every field or argument a bad value of which is reported as its own ``Invalid<Field>`` errorType."""
