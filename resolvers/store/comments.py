"""Comments, numbered in commit order, with a small head item per event that caches the newest few.

Why this design (issue 9): a comment's place in the newest-first order must never change once a reader
has seen it, or paging duplicates, skips and reorders comments while people are posting. So a comment's
sort key is its number in *commit* order, not a clock reading taken before the write:

- Each event has one head item (``comments_head_key``) holding ``last`` (the last number handed out),
  ``count`` (comments stored) and ``newest`` (the newest comments, newest first: at most ``PREVIEW_SIZE``,
  and only as many as keep the head within one read unit, ``HEAD_MAX_BYTES``).
- Adding a comment reads the head, then in one transaction puts comment ``last + 1`` and rewrites the
  head, on condition that the head is unchanged. Every add and delete goes through that condition, so
  commits are serialized per event and numbers increase in commit order: a comment committed after a
  reader's first page sorts above it and can never appear on a later page of that reader.
- ``newest`` is rewritten in the same transaction, so it always equals the table's newest comments (all
  of them or the first few, never with a gap), and a page cut from it continues in the table at that
  last comment's key (``position_after``), or above comment ``last`` when it holds none (``position_at``).
- The head lives beside the event, not on it: the event item stays within one read unit and AppSync does
  not carry comments in every ``Event.*`` source. The head is small for the same reason (issue 21): it
  serves a list's teaser (``comments(limit: 3)`` for a page of events in one BatchGetItem, half a read
  unit each), so a long comment stays out of it and such a teaser is shorter than asked, with a
  nextToken; a larger first page queries the comments themselves.

An absent head means the event has no comments: it is created by the first one.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from resolvers.errors import NotFound
from resolvers.records import CommentRecord, CommentResult, UserRecord
from resolvers.store.attributes import READ_UNIT_BYTES, Item, item_of, item_size, record_of
from resolvers.store.core import (
    ITEM_ABSENT,
    ITEM_EXISTS,
    KEY_NAMES,
    Cancellation,
    Position,
    Table,
    TransactItem,
    backoff,
    key_item,
    number,
    position_of,
    until_written,
)
from resolvers.store.users import UserStore
from resolvers.table_definition import (
    COMMENT_SORT_PREFIX,
    comment_key,
    comment_number,
    comments_head_key,
    event_key,
    event_partition_key,
    numbered_comment_id,
)

PREVIEW_SIZE = 3
HEAD_MAX_BYTES = READ_UNIT_BYTES
"""The head's size by DynamoDB's rules stays within one read unit, whatever its comments hold."""
WRITE_ATTEMPTS = 25
"""A refused write gets the head as it stands and retries at once, so it loses again only to a writer that
committed within that one round trip; this many losses in a row mean the event is too busy."""


class HeadRecord(TypedDict):
    """The head item's own fields, as stored."""

    eventId: str
    last: int
    count: int
    newest: list[CommentRecord]
    lastCreatedAt: str | None
    """Comment ``last``'s createdAt, which ``newest`` may not hold: the next comment's is never below it."""


@dataclass(frozen=True)
class CommentsHead:
    """An event's comment numbering and its newest comments, as of one committed write."""

    event_id: str
    last: int = 0
    count: int = 0
    newest: list[CommentRecord] = field(default_factory=list)
    last_created_at: str | None = None
    stored: bool = False

    def unchanged(self) -> tuple[str, dict[str, str], dict[str, Any]]:
        """Condition, names and values that hold only while the head is as read: every add raises
        ``last`` and every delete lowers ``count``, so together they change on every write."""
        if not self.stored:
            return ITEM_ABSENT, KEY_NAMES, {}
        return (
            "#last = :last AND #count = :count",
            {"#last": "last", "#count": "count"},
            {":last": number(self.last), ":count": number(self.count)},
        )


def _comment_record(item: Mapping[str, Any]) -> CommentRecord:
    return record_of(CommentRecord, item)


def _head(item: Mapping[str, Any]) -> CommentsHead:
    head = record_of(HeadRecord, item)
    return CommentsHead(
        event_id=head["eventId"],
        last=head["last"],
        count=head["count"],
        newest=head["newest"],
        last_created_at=head["lastCreatedAt"],
        stored=True,
    )


def _head_item(event_id: str, last: int, count: int, newest: list[CommentRecord], last_created_at: str | None) -> Item:
    """The head as stored: as many of ``newest`` (newest first, up to PREVIEW_SIZE) as fit in HEAD_MAX_BYTES."""
    for held in range(min(len(newest), PREVIEW_SIZE), 0, -1):
        item = _head_item_holding(event_id, last, count, newest[:held], last_created_at)
        if item_size(item) <= HEAD_MAX_BYTES:
            return item
    return _head_item_holding(event_id, last, count, [], last_created_at)


def _head_item_newest(head: CommentsHead, newest: list[CommentRecord]) -> list[CommentRecord]:
    """Which of ``newest`` a head like ``head`` holds."""
    item = _head_item(head.event_id, head.last, head.count, newest, head.last_created_at)
    return _head(item).newest


def _head_item_holding(
    event_id: str, last: int, count: int, newest: list[CommentRecord], last_created_at: str | None
) -> Item:
    head = HeadRecord(eventId=event_id, last=last, count=count, newest=newest, lastCreatedAt=last_created_at)
    return {**key_item(comments_head_key(event_id)), **item_of(head)}


def position_after(comment: CommentRecord | CommentResult) -> Position:
    """The table position just past ``comment``, so a page cut after it continues in the table."""
    return position_of(comment_key(comment["eventId"], comment["id"]))


def position_at(event_id: str, number: int) -> Position:
    """The table position just above comment ``number``: a page from there starts with it (or, if it is gone,
    the next older one), and no comment numbered later."""
    return position_of(comment_key(event_id, numbered_comment_id(number + 1, "")))


def position_before(comment: CommentRecord | CommentResult) -> Position:
    """The table position just above ``comment``, so a page cut before it starts with it."""
    return position_at(comment["eventId"], comment_number(comment["id"]))


class CommentStore:
    position_after = staticmethod(position_after)
    position_before = staticmethod(position_before)

    def __init__(self, table: Table, users: UserStore) -> None:
        self.table = table
        self.users = users

    def head(self, event_id: str, *, consistent: bool = False) -> CommentsHead:
        item = self.table.get(comments_head_key(event_id), consistent=consistent)
        return _head(item) if item else CommentsHead(event_id)

    def heads(self, event_ids: Iterable[str]) -> dict[str, CommentsHead]:
        """The heads of many events in one BatchGetItem per 100 (eventually consistent, like a Query)."""
        wanted = list(dict.fromkeys(event_ids))
        heads = {event_id: CommentsHead(event_id) for event_id in wanted}
        for item in self.table.batch_get(comments_head_key(event_id) for event_id in wanted):
            head = _head(item)
            heads[head.event_id] = head
        return heads

    def page(
        self, event_id: str, limit: int, position: Position | None, *, consistent: bool = False
    ) -> tuple[list[CommentRecord], Position | None]:
        """Newest first, from the table."""
        items, last = self.table.query_prefix(
            event_partition_key(event_id),
            COMMENT_SORT_PREFIX,
            position,
            limit=limit,
            newest_first=True,
            consistent=consistent,
        )
        return [_comment_record(item) for item in items], last

    def first_pages(self, wanted: Sequence[tuple[str, int]]) -> list[tuple[list[CommentRecord], Position | None]]:
        """The first page of each (event id, limit): those of at most PREVIEW_SIZE come from the heads, all in
        one BatchGetItem, holding what the head holds (so possibly fewer than asked, with a position to go on
        from); larger ones are queried."""
        heads = self.heads(event_id for event_id, limit in wanted if limit <= PREVIEW_SIZE)
        pages: list[tuple[list[CommentRecord], Position | None]] = []
        for event_id, limit in wanted:
            head = heads.get(event_id)
            if head is None or limit > PREVIEW_SIZE:
                pages.append(self.page(event_id, limit, None))
                continue
            items = head.newest[:limit]
            if head.count <= len(items):
                pages.append((items, None))
            else:  # fewer than asked when long comments kept the head short: the table has the rest
                pages.append((items, position_after(items[-1]) if items else position_at(event_id, head.last)))
        return pages

    def get(self, event_id: str, comment_id: str) -> CommentRecord | None:
        item = self.table.get(comment_key(event_id, comment_id), consistent=True)
        return _comment_record(item) if item else None

    def add(self, event_id: str, author: UserRecord, content: str, created_at: str) -> CommentRecord:
        """Stores the comment as the event's next in commit order, with the head, atomically.

        ``createdAt`` never goes below the newest comment's, so it agrees with the order comments are listed in.
        """
        head = self.head(event_id, consistent=True)

        def attempt() -> CommentRecord | None:
            nonlocal head
            comment = CommentRecord(
                id=numbered_comment_id(head.last + 1, secrets.token_hex(6)),
                eventId=event_id,
                authorId=author["id"],
                content=content,
                createdAt=max(
                    [created_at, *(c["createdAt"] for c in head.newest[:1]), *filter(None, [head.last_created_at])]
                ),
            )
            refused = self.table.transact(
                [
                    self.table.check(event_key(event_id), ITEM_EXISTS, names=KEY_NAMES),
                    self.table.put(
                        {**key_item(comment_key(event_id, comment["id"])), **item_of(comment)},
                        condition=ITEM_ABSENT,
                        names=KEY_NAMES,
                    ),
                    self._head_put(head, head.last + 1, head.count + 1, [comment, *head.newest], comment["createdAt"]),
                    self.users.profile_put(author),
                ],
                retry_conflicts=False,
            )
            if refused is None:
                return comment
            if refused.failed(0):
                raise NotFound(f"Event {event_id} does not exist")
            head = self._head_after(refused, 2, event_id)
            return None

        busy = f"Too many people are commenting on event {event_id} at once; try again"
        return until_written(attempt, busy, attempts=WRITE_ATTEMPTS)

    def delete(self, comment: CommentRecord) -> None:
        """Removes the comment and, atomically, takes it out of the head (refilled from the table)."""
        event_id = comment["eventId"]
        head = self.head(event_id, consistent=True)

        def attempt() -> bool | None:
            nonlocal head
            newest = [c for c in head.newest if c["id"] != comment["id"]]
            held_it = len(newest) < len(head.newest)
            # A head short of PREVIEW_SIZE stopped at a comment too long for it: when that one goes, shorter
            # ones below may fit. (Any head that is the table's newest without a gap is right; this keeps it full.)
            first_left_out = comment_number(head.newest[-1]["id"]) - 1 if head.newest else head.last
            long_one = len(head.newest) < PREVIEW_SIZE and comment_number(comment["id"]) == first_left_out
            if (held_it or long_one) and head.count > len(head.newest):
                # The head is rewritten on condition that it is unchanged, so this read is of that same state.
                newest = self._refilled(head, newest, position_after(head.newest[-1] if held_it else comment))
            refused = self.table.transact(
                [
                    self.table.delete(comment_key(event_id, comment["id"]), condition=ITEM_EXISTS, names=KEY_NAMES),
                    self._head_put(head, head.last, max(head.count - 1, 0), newest, head.last_created_at),
                ],
                retry_conflicts=False,
            )
            if refused is None:
                return True
            if refused.failed(0):
                raise NotFound(f"Comment {comment['id']} does not exist")
            head = self._head_after(refused, 1, event_id)
            return None

        until_written(attempt, f"Too many changes to event {event_id} at once; try again", attempts=WRITE_ATTEMPTS)

    def _refilled(self, head: CommentsHead, kept: list[CommentRecord], below: Position) -> list[CommentRecord]:
        """``kept``, then the table's comments from ``below`` on while the head has room for them: read one at a
        time, so a comment too long for the head ends the reading rather than being read with others."""
        newest = list(kept)
        position: Position | None = below
        while position is not None and len(newest) < PREVIEW_SIZE:
            more, position = self.page(head.event_id, 1, position, consistent=True)
            candidate = newest + more
            if len(_head_item_newest(head, candidate)) < len(candidate):
                break
            newest = candidate
        return newest

    def _head_put(
        self, seen: CommentsHead, last: int, count: int, newest: list[CommentRecord], last_created_at: str | None
    ) -> TransactItem:
        """The head's new state, written only if it is still ``seen``; if not, the refusal carries the head as it is."""
        condition, names, values = seen.unchanged()
        return self.table.put(
            _head_item(seen.event_id, last, count, newest, last_created_at),
            condition=condition,
            names=names,
            values=values,
            old_item_on_failure=True,
        )

    def _head_after(self, refused: Cancellation, index: int, event_id: str) -> CommentsHead:
        """The head to retry from: the one the refusal returned, else (a conflict with a transaction still in
        flight, not a failed condition) a fresh read after a pause."""
        if not refused.failed(index):
            backoff(1)
            return self.head(event_id, consistent=True)
        old = refused.old_items[index]
        return _head(old) if old else CommentsHead(event_id)
