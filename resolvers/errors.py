"""Errors a client can branch on.

The Lambda runtime reports a raised exception's class name as its ``errorType`` and its text as the
message; AppSync and the mirror put both into the GraphQL error. So each class name here is API.

An error about one input field says which in its errorType (``InvalidTitle``, ...), because a direct Lambda
resolver cannot fill AppSync's ``errorInfo``: the Lambda's error reaches the client as errorType and message
only. Each checked input field (``resolvers.inputs.CHECKED_FIELDS``) gets its ``Invalid<Field>`` class in
``FIELD_ERRORS``, so a new field brings its error with it. ``ERROR_FIELDS`` maps those errorTypes to the
field (config.json hands it to the SPA); the message is for people.
"""

from __future__ import annotations

from typing import ClassVar, Final

from resolvers.inputs import CHECKED_FIELDS


class GatherError(Exception):
    """Base of every error the API reports on purpose."""


class ValidationError(GatherError):
    """The input breaks a rule that concerns no single field (e.g. an edit that changes nothing)."""


class FieldError(ValidationError):
    """The value of one input field breaks its rule: an empty title, a capacity below one, a start in the past."""

    field: ClassVar[str]


class NotFound(GatherError):
    """The event (or comment) does not exist, or no longer does."""


class VersionConflict(GatherError):
    """The event changed since the client read it; read it again and retry."""


class EventFull(GatherError):
    """Every seat is taken."""


class AlreadyRsvped(GatherError):
    """The caller already holds a seat at this event."""


class NotRsvped(GatherError):
    """The caller holds no seat at this event to cancel."""


class EventNotFull(GatherError):
    """Seats are free and nobody is waiting for them: take one (rsvp) instead of joining the waitlist."""


class AlreadyAttending(GatherError):
    """The caller holds a seat, so has no place in the waitlist to take."""


class AlreadyWaiting(GatherError):
    """The caller is already in this event's waitlist."""


class NotWaiting(GatherError):
    """The caller has no place in this event's waitlist to leave (perhaps the seat came in the meantime)."""


class CapacityBelowAttendance(GatherError):
    """An edit would leave more attendees than seats."""

    field: ClassVar[str] = "capacity"


class Unauthorized(GatherError):
    """The caller is signed in but may not do this: only an event's host (or an admin) edits it."""


class InvalidNextToken(GatherError):
    """The nextToken was not issued by this API for this list, or was altered."""


class SignInRequired(GatherError):
    """Writes need a signed-in caller."""


class Busy(GatherError):
    """Too many simultaneous writes to one event; retrying the request is safe."""


def _field_error(field: str) -> type[FieldError]:
    """``Invalid<Field>``: its name is the errorType clients see, so it follows the field's own name."""
    name = f"Invalid{field[0].upper()}{field[1:]}"
    return type(name, (FieldError,), {"field": field, "__module__": __name__, "__doc__": f"A bad {field}."})


FIELD_ERRORS: Final[dict[str, type[FieldError]]] = {field: _field_error(field) for field in CHECKED_FIELDS}
"""The error to raise for a bad value of each input field."""
ERROR_FIELDS: Final[dict[str, str]] = {
    **{error.__name__: field for field, error in FIELD_ERRORS.items()},
    CapacityBelowAttendance.__name__: CapacityBelowAttendance.field,
}
"""errorType -> the input field it is about, for clients (config.json's ``errorFields``)."""
