"""Query.getEvent, Query.listEvents and the event mutations."""

from __future__ import annotations

from resolvers import settings
from resolvers.dependencies import now, store
from resolvers.inputs import EventInput, UpdateEventInput
from resolvers.logic import events
from resolvers.records import EventPage, EventRecord
from resolvers.registry import RecordingRouter
from resolvers.routers import selection, signed_in_caller

router = RecordingRouter()


@router.resolver(type_name="Query", field_name="getEvent")
def get_event(id: str) -> EventRecord | None:  # noqa: A002 - the GraphQL argument is named id
    return events.get_event(store(), id)


@router.resolver(type_name="Query", field_name="listEvents")
def list_events(limit: int | None = None, nextToken: str | None = None) -> EventPage:  # noqa: N803
    details = events.details_selected(selection(router))
    return events.list_upcoming(store(), limit, nextToken, now(), settings.token_secret(), details=details)


@router.resolver(type_name="Mutation", field_name="createEvent")
def create_event(input: EventInput) -> EventRecord:  # noqa: A002
    caller = signed_in_caller(router)
    return events.create_event(store(), caller, input, now())


@router.resolver(type_name="Mutation", field_name="updateEvent")
def update_event(input: UpdateEventInput) -> EventRecord:  # noqa: A002
    caller = signed_in_caller(router)
    return events.update_event(store(), caller, input, now())


@router.resolver(type_name="Mutation", field_name="deleteEvent")
def delete_event(id: str) -> EventRecord:  # noqa: A002
    caller = signed_in_caller(router)
    return events.delete_event(store(), caller, id)


@router.resolver(type_name="Mutation", field_name="publishEventChanged")
def publish_event_changed(eventId: str) -> EventRecord | None:  # noqa: N803
    """Called by the stream consumer (IAM only, per the schema) after it changed the event: the event as it is now,
    which AppSync hands to onEventChanged's subscribers."""
    return events.get_event(store(), eventId)
