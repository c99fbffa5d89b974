"""Comments: who may post and delete them, and their pages (first pages from the store's cache of the newest)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from resolvers.errors import NotFound
from resolvers.identity import Caller
from resolvers.logic import permissions, validation
from resolvers.logic.paging import decode_token, encode_token, fit_pages
from resolvers.logic.users import user_record
from resolvers.payload import PAYLOAD_LIMIT_BYTES, payload_size
from resolvers.records import CommentPage, CommentRecord, CommentResult, UserRecord

if TYPE_CHECKING:
    from resolvers.inputs import PageArguments
    from resolvers.store import GatherStore
    from resolvers.store.core import Position

COMMENTS_PAGE_DEFAULT = 10
SEPARATOR_BYTES = len(", ")
"""Between two items of a JSON list, as the payload is written."""

Read = tuple[list[CommentRecord], "Position | None"]
"""A page's comments as read, and where the table goes on after them."""


def comment_on_event(store: GatherStore, caller: Caller, event_id: str, content: str, now: datetime) -> CommentResult:
    text = validation.required_text("content", content, validation.COMMENT_MAX)
    author = user_record(caller)
    return _result(store.comments.add(event_id, author, text, validation.to_aws_datetime(now)), author)


def delete_comment(store: GatherStore, caller: Caller, event_id: str, comment_id: str) -> CommentResult:
    comment = store.comments.get(event_id, comment_id)
    event = store.events.get(event_id, consistent=True, details=False)
    if comment is None or event is None:
        raise NotFound(f"Comment {comment_id} on event {event_id} does not exist")
    permissions.require(caller, "deleteComment", permissions.Holders(event["hostId"], comment["authorId"]))
    store.comments.delete(comment)
    return with_authors(store, [comment])[0]


def with_authors(store: GatherStore, comments: Sequence[CommentRecord]) -> list[CommentResult]:
    """The comments with their authors, from one lookup for all of them."""
    authors = store.users.get_many(comment["authorId"] for comment in comments)
    return [_result(comment, authors.get(comment["authorId"])) for comment in comments]


def _result(comment: CommentRecord, author: UserRecord | None) -> CommentResult:
    return CommentResult(
        id=comment["id"],
        eventId=comment["eventId"],
        author=author,
        content=comment["content"],
        createdAt=comment["createdAt"],
    )


def comments_pages(
    store: GatherStore, requests: Sequence[tuple[str, PageArguments]], secret: bytes, *, authors: bool = True
) -> list[CommentPage]:
    """A page of comments for each (event id, field arguments), in the order asked.

    Every first page is read in one go, so a page of events with their newest comments costs one
    round trip for all of them, and their authors one more (none when ``authors`` is False: nobody
    asked for them); later pages continue from the signed position in their nextToken. The pages are
    cut to fit one invocation's answer together (``fit_pages``): a page may hold fewer than its limit,
    with a nextToken that goes on from there.
    """
    sizes = [validation.page_size(arguments.get("limit"), COMMENTS_PAGE_DEFAULT) for _, arguments in requests]
    positions = [decode_token(_scope(event_id), arguments.get("nextToken"), secret) for event_id, arguments in requests]
    first = [index for index, position in enumerate(positions) if position is None]
    first_pages = dict(zip(first, store.comments.first_pages([(requests[i][0], sizes[i]) for i in first]), strict=True))
    read: list[Read] = [
        first_pages[index] if position is None else store.comments.page(requests[index][0], sizes[index], position)
        for index, position in enumerate(positions)
    ]
    event_ids = [event_id for event_id, _ in requests]
    # Cut without authors first, so only the authors of comments that can go out are looked up; their names
    # only make comments larger, so the cut with them keeps no more.
    read = _within_payload(store, event_ids, read, {}, secret)
    found = store.users.get_many(c["authorId"] for items, _ in read for c in items) if authors else {}
    if found:
        read = _within_payload(store, event_ids, read, found, secret)
    return [
        CommentPage(
            items=[_result(comment, found.get(comment["authorId"])) for comment in items],
            nextToken=encode_token(_scope(event_id), last, secret),
        )
        for event_id, (items, last) in zip(event_ids, read, strict=True)
    ]


def _within_payload(
    store: GatherStore, event_ids: Sequence[str], read: Sequence[Read], authors: Mapping[str, UserRecord], secret: bytes
) -> list[Read]:
    """The pages cut so that the answer, pages and comments with ``authors``, fits in PAYLOAD_LIMIT_BYTES; a cut
    page goes on from its cut (before its first comment, when it keeps none)."""
    comment_sizes = [
        [payload_size(_result(c, authors.get(c["authorId"]))) + SEPARATOR_BYTES for c in items] for items, _ in read
    ]
    # A page's own bytes with its nextToken: any cut's is as long as the one after the first comment, since
    # comment ids have one width.
    page_sizes = [
        payload_size(
            CommentPage(
                items=[],
                nextToken=encode_token(
                    _scope(event_id), store.comments.position_after(items[0]) if items else last, secret
                ),
            )
        )
        + SEPARATOR_BYTES
        for event_id, (items, last) in zip(event_ids, read, strict=True)
    ]
    kept = fit_pages(comment_sizes, page_sizes, PAYLOAD_LIMIT_BYTES - len("[]"))
    return [
        (items, last)
        if count == len(items)
        else (
            items[:count],
            store.comments.position_after(items[count - 1]) if count else store.comments.position_before(items[0]),
        )
        for (items, last), count in zip(read, kept, strict=True)
    ]


def _scope(event_id: str) -> str:
    return f"comments:{event_id}"
