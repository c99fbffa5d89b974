"""Comments: written with the event's preview of newest comments, read from it when a page fits."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from resolvers.errors import NotFound, Unauthorized
from resolvers.identity import Caller
from resolvers.logic import validation
from resolvers.logic.events import user_record
from resolvers.logic.paging import decode_token, encode_token

if TYPE_CHECKING:
    from resolvers.store import GatherStore, Record

COMMENTS_PAGE_DEFAULT = 10


def comment_on_event(store: GatherStore, caller: Caller, event_id: str, content: str, now: datetime) -> Record:
    comment: Record = {
        "id": _comment_id(now),
        "eventId": event_id,
        "authorId": caller.user_id,
        "content": validation.text("content", content, validation.COMMENT_MAX),
        "createdAt": validation.to_aws_datetime(now),
    }
    store.add_comment(comment, user_record(caller))
    return comment


def _comment_id(now: datetime) -> str:
    """Sorts by creation time (then at random), so the table keeps comments in order by id alone."""
    return now.strftime("%Y%m%d%H%M%S%f") + "-" + secrets.token_hex(6)


def delete_comment(store: GatherStore, caller: Caller, event_id: str, comment_id: str) -> Record:
    """A comment's author or the event's host may delete it."""
    comment = store.get_comment(event_id, comment_id)
    event = store.get_event(event_id, consistent=True)
    if comment is None or event is None:
        raise NotFound(f"Comment {comment_id} on event {event_id} does not exist")
    if caller.user_id not in (comment["authorId"], event["hostId"]):
        raise Unauthorized("Only the comment's author or the event's host may delete it")
    store.delete_comment(comment)
    return comment


def comments_page(store: GatherStore, event: Record, arguments: dict[str, Any], secret: bytes) -> Record:
    """One event's page of comments; the first page comes from the event's own preview when it fits."""
    event_id = event["id"]
    scope = f"comments:{event_id}"
    size = validation.page_size(arguments.get("limit"), COMMENTS_PAGE_DEFAULT)
    next_token = arguments.get("nextToken")
    preview = event.get("recentComments")
    holds_page = preview is not None and (size <= len(preview) or (event.get("commentCount") or 0) <= len(preview))
    if next_token is None and preview is not None and holds_page:
        items = preview[:size]
        more = (event.get("commentCount") or 0) > len(items)
        position = store.comment_position(items[-1]) if more and items else None
        return {"items": items, "nextToken": encode_token(scope, position, secret)}
    items, last = store.list_comments(event_id, size, decode_token(scope, next_token, secret))
    return {"items": items, "nextToken": encode_token(scope, last, secret)}
