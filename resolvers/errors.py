"""Errors a client can branch on.

The Lambda runtime reports a raised exception's class name as its ``errorType`` and its text as the
message; AppSync and the mirror put both into the GraphQL error. So each class name here is API.
"""

from __future__ import annotations


class GatherError(Exception):
    """Base of every error the API reports on purpose."""


class ValidationError(GatherError):
    """The input breaks a rule: a malformed date, an empty title, a capacity below one."""


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


class CapacityBelowAttendance(GatherError):
    """An edit would leave more attendees than seats."""


class Unauthorized(GatherError):
    """The caller is signed in but may not do this: only an event's host (or an admin) edits it."""


class InvalidNextToken(GatherError):
    """The nextToken was not issued by this API for this list, or was altered."""


class SignInRequired(GatherError):
    """Writes need a signed-in caller."""


class Busy(GatherError):
    """Too many simultaneous writes to one event; retrying the request is safe."""
