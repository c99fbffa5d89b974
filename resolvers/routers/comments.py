"""Mutation.commentOnEvent and the batched Event.comments."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from aws_lambda_powertools.utilities.data_classes import AppSyncResolverEvent

from resolvers import settings
from resolvers.batching import batch_resolver
from resolvers.dependencies import now, store
from resolvers.logic import comments
from resolvers.records import CommentPage, CommentResult
from resolvers.registry import RecordingRouter
from resolvers.routers import signed_in_caller

if TYPE_CHECKING:
    from resolvers.inputs import PageArguments

router = RecordingRouter()
AUTHOR_SELECTED = "items/author"
"""In AppSync's selectionSetList of Event.comments."""


@router.resolver(type_name="Mutation", field_name="commentOnEvent")
def comment_on_event(eventId: str, content: str) -> CommentResult:  # noqa: N803
    caller = signed_in_caller(router)
    return comments.comment_on_event(store(), caller, eventId, content, now())


@router.resolver(type_name="Mutation", field_name="deleteComment")
def delete_comment(eventId: str, id: str) -> CommentResult:  # noqa: N803, A002
    return comments.delete_comment(store(), signed_in_caller(router), eventId, id)


@batch_resolver(router, "Event", "comments")
def event_comments(event: list[AppSyncResolverEvent]) -> list[CommentPage]:
    """Comments come with their authors (Comment.author has no resolver of its own), looked up only if asked for."""
    requests = [(str(item.source["id"]), cast("PageArguments", item.arguments)) for item in event]
    authors = any(AUTHOR_SELECTED in item.info.selection_set_list for item in event)
    return comments.comments_pages(store(), requests, settings.token_secret(), authors=authors)
