"""Mutation.joinWaitlist, Mutation.leaveWaitlist and the batched Event.waitlistPosition."""

from __future__ import annotations

from aws_lambda_powertools.utilities.data_classes import AppSyncResolverEvent

from resolvers.batching import batch_resolver
from resolvers.dependencies import now, store
from resolvers.identity import caller_from_identity
from resolvers.logic import waitlist
from resolvers.records import EventRecord
from resolvers.registry import RecordingRouter
from resolvers.routers import signed_in_caller

router = RecordingRouter()


@router.resolver(type_name="Mutation", field_name="joinWaitlist")
def join_waitlist(eventId: str) -> EventRecord:  # noqa: N803 - the GraphQL argument is named eventId
    return waitlist.join_waitlist(store(), signed_in_caller(router), eventId, now())


@router.resolver(type_name="Mutation", field_name="leaveWaitlist")
def leave_waitlist(eventId: str) -> EventRecord:  # noqa: N803
    return waitlist.leave_waitlist(store(), signed_in_caller(router), eventId)


@batch_resolver(router, "Event", "waitlistPosition")
def event_waitlist_position(event: list[AppSyncResolverEvent]) -> list[int | None]:
    callers = [caller_from_identity(item.get("identity")) for item in event]
    return waitlist.waitlist_positions(store(), callers, [item.source["id"] for item in event])
