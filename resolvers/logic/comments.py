"""Comments: who may post and delete them, and their pages (first pages from the store's cache of the newest)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from resolvers.errors import NotFound
from resolvers.identity import Caller
from resolvers.logic import permissions, validation
from resolvers.logic.paging import decode_token, encode_token
from resolvers.logic.users import user_record
from resolvers.records import CommentPage, CommentRecord, CommentResult, UserRecord

if TYPE_CHECKING:
    from resolvers.inputs import PageArguments
    from resolvers.store import GatherStore
    from resolvers.store.core import Position

COMMENTS_PAGE_DEFAULT = 10


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
    asked for them); later pages continue from the signed position in their nextToken.
    """
    sizes = [validation.page_size(arguments.get("limit"), COMMENTS_PAGE_DEFAULT) for _, arguments in requests]
    positions = [decode_token(_scope(event_id), arguments.get("nextToken"), secret) for event_id, arguments in requests]
    first = [index for index, position in enumerate(positions) if position is None]
    first_pages = dict(zip(first, store.comments.first_pages([(requests[i][0], sizes[i]) for i in first]), strict=True))
    read: list[tuple[list[CommentRecord], Position | None]] = [
        first_pages[index] if position is None else store.comments.page(requests[index][0], sizes[index], position)
        for index, position in enumerate(positions)
    ]
    found = store.users.get_many(c["authorId"] for items, _ in read for c in items) if authors else {}
    return [
        CommentPage(
            items=[_result(comment, found.get(comment["authorId"])) for comment in items],
            nextToken=encode_token(_scope(event_id), last, secret),
        )
        for (event_id, _), (items, last) in zip(requests, read, strict=True)
    ]


def _scope(event_id: str) -> str:
    return f"comments:{event_id}"
