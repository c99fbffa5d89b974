"""Typed records, from the DynamoDB item to the resolver's return value.

Each record holds the GraphQL type's own fields plus, deliberately, the id a child resolver needs
(``hostId`` for ``Event.host``, ``authorId`` for ``Comment.author``): AppSync passes a parent's whole
result as the child's ``source``, so nothing else storage-only belongs in them.
"""

from __future__ import annotations

from typing import TypedDict


class UserRecord(TypedDict):
    id: str
    displayName: str


class EventRecord(TypedDict):
    id: str
    title: str
    description: str | None
    venue: str
    startsAt: str
    endsAt: str
    capacity: int
    attendeeCount: int
    hostId: str
    createdAt: str
    updatedAt: str
    version: int


class EventChanges(TypedDict, total=False):
    """An edit: the fields named change; ``description`` may be None, which removes it."""

    title: str
    description: str | None
    venue: str
    startsAt: str
    endsAt: str
    capacity: int


class CommentRecord(TypedDict):
    id: str
    eventId: str
    authorId: str
    content: str
    createdAt: str


class EventPage(TypedDict):
    items: list[EventRecord]
    nextToken: str | None


class CommentPage(TypedDict):
    items: list[CommentRecord]
    nextToken: str | None
