"""Typed records, from the DynamoDB item to the resolver's return value and back.

Each TypedDict is the one declaration of its item's fields: the store writes and reads items from it
(``resolvers/store/attributes.py``), so a field added here is stored, read and returned with no list to
extend elsewhere.

Each record returned to AppSync holds the GraphQL type's own fields plus, deliberately, the id a child
resolver needs (``hostId`` and ``hostName`` for ``Event.host``): AppSync passes a parent's whole result as the
child's ``source``, so nothing else storage-only belongs in them. Comments go out with their author already
resolved (``CommentResult``), so no comment's content travels to a Lambda again just to find its author.
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
    timeZone: str
    capacity: int
    attendeeCount: int
    waitlistCount: int
    """People in line for a seat; while it is above 0, every seat that frees goes to the first of them."""
    hostId: str
    hostName: str | None
    """The host's display name as the event carries it, so ``Event.host`` reads no profile: written by createEvent
    from the host's profile, rewritten by the stream consumer when the host chooses a new name. None on events
    stored before it, whose host's profile is read instead."""
    createdAt: str
    updatedAt: str
    version: int


class EventDetailsRecord(TypedDict):
    """The long text only a single event shows, stored in the event's details item (vertical partitioning): the
    event item, which every RSVP rewrites and every listing reads, stays small. A field moves here by name."""

    description: str | None


class EventCountsRecord(TypedDict):
    """What every RSVP, cancellation, waitlist change and promotion rewrites, stored in the event's counts item
    beside the event item (``resolvers/store/seats.py``): the event item changes only when the event is edited,
    so the listing index can copy it whole. A field moves here by name."""

    attendeeCount: int
    waitlistCount: int


class CommentRecord(TypedDict):
    id: str
    eventId: str
    authorId: str
    content: str
    createdAt: str


class CommentResult(TypedDict):
    """A comment as the API returns it: ``author`` resolved, ``authorId`` left in storage."""

    id: str
    eventId: str
    author: UserRecord | None
    content: str
    createdAt: str


class EventPage(TypedDict):
    items: list[EventRecord]
    nextToken: str | None


class CommentPage(TypedDict):
    items: list[CommentResult]
    nextToken: str | None


class UserPage(TypedDict):
    items: list[UserRecord]
    nextToken: str | None
