"""Mutation.rsvp and Mutation.cancelRsvp."""

from __future__ import annotations

from resolvers.dependencies import now, store
from resolvers.logic import seats
from resolvers.records import EventRecord
from resolvers.registry import RecordingRouter
from resolvers.routers import signed_in_caller

router = RecordingRouter()


@router.resolver(type_name="Mutation", field_name="rsvp")
def rsvp(eventId: str) -> EventRecord:  # noqa: N803 - the GraphQL argument is named eventId
    return seats.rsvp(store(), signed_in_caller(router), eventId, now())


@router.resolver(type_name="Mutation", field_name="cancelRsvp")
def cancel_rsvp(eventId: str) -> EventRecord:  # noqa: N803
    return seats.cancel_rsvp(store(), signed_in_caller(router), eventId)
