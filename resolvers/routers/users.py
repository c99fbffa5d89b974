"""Event.host (one BatchGetItem answers a whole batch of events) and Query.me."""

from __future__ import annotations

from aws_lambda_powertools.utilities.data_classes import AppSyncResolverEvent

from resolvers.batching import batch_resolver
from resolvers.dependencies import store
from resolvers.logic import users
from resolvers.records import UserRecord
from resolvers.registry import RecordingRouter
from resolvers.routers import signed_in_caller

router = RecordingRouter()


@batch_resolver(router, "Event", "host")
def event_host(event: list[AppSyncResolverEvent]) -> list[UserRecord | None]:
    """Events carry their host's name (``EventRecord.hostName``): those hosts come from the source, unread."""
    return users.hosts(store(), [item.source for item in event])


@router.resolver(type_name="Query", field_name="me")
def me() -> UserRecord:
    return users.me(store(), signed_in_caller(router))


@router.resolver(type_name="Mutation", field_name="setDisplayName")
def set_display_name(displayName: str) -> UserRecord:  # noqa: N803 - the GraphQL argument's name
    return users.set_display_name(store(), signed_in_caller(router), displayName)
