"""Mutation.rsvp and Mutation.cancelRsvp."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.appsync import Router

from resolvers.dependencies import now, store
from resolvers.identity import require_caller
from resolvers.logic import seats

router = Router()


@router.resolver(type_name="Mutation", field_name="rsvp")
def rsvp(eventId: str) -> dict[str, Any]:  # noqa: N803 - the GraphQL argument is named eventId
    return seats.rsvp(store(), require_caller(router.current_event.get("identity")), eventId, now())


@router.resolver(type_name="Mutation", field_name="cancelRsvp")
def cancel_rsvp(eventId: str) -> dict[str, Any]:  # noqa: N803
    return seats.cancel_rsvp(store(), require_caller(router.current_event.get("identity")), eventId)
