"""Mutation.rsvp, Mutation.cancelRsvp, Query.myRsvps and the batched Event.hasSeat."""

from __future__ import annotations

from typing import cast

from aws_lambda_powertools.utilities.data_classes import AppSyncResolverEvent

from resolvers import settings
from resolvers.batching import batch_resolver
from resolvers.dependencies import now, store
from resolvers.identity import caller_from_identity
from resolvers.inputs import PageArguments
from resolvers.logic import events, seats
from resolvers.records import EventPage, EventRecord, UserPage
from resolvers.registry import RecordingRouter
from resolvers.routers import selection, signed_in_caller

router = RecordingRouter()


@router.resolver(type_name="Mutation", field_name="rsvp")
def rsvp(eventId: str) -> EventRecord:  # noqa: N803 - the GraphQL argument is named eventId
    return seats.rsvp(store(), signed_in_caller(router), eventId, now())


@router.resolver(type_name="Mutation", field_name="cancelRsvp")
def cancel_rsvp(eventId: str) -> EventRecord:  # noqa: N803
    return seats.cancel_rsvp(store(), signed_in_caller(router), eventId)


@router.resolver(type_name="Query", field_name="myRsvps")
def my_rsvps(limit: int | None = None, nextToken: str | None = None) -> EventPage:  # noqa: N803
    arguments = PageArguments(limit=limit, nextToken=nextToken)
    details = events.details_selected(selection(router))
    return seats.my_rsvps(store(), signed_in_caller(router), arguments, now(), settings.token_secret(), details=details)


@batch_resolver(router, "Event", "attendees")
def event_attendees(event: list[AppSyncResolverEvent]) -> list[UserPage]:
    """Only signed-in callers get here: the schema's @aws_cognito_user_pools on the field refuses the API key."""
    requests = [(str(item.source["id"]), cast("PageArguments", item.arguments)) for item in event]
    return seats.attendees_pages(store(), requests, settings.token_secret())


@batch_resolver(router, "Event", "hasSeat")
def event_has_seat(event: list[AppSyncResolverEvent]) -> list[bool | None]:
    callers = [caller_from_identity(item.get("identity")) for item in event]
    return seats.has_seats(store(), callers, [item.source["id"] for item in event])
