"""Input rules shared by every mutation, so each error names the field a client got wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Literal

from resolvers.errors import FIELD_ERRORS

TITLE_MAX = 200
VENUE_MAX = 200
DESCRIPTION_MAX = 4000
COMMENT_MAX = 2000
DISPLAY_NAME_MAX = 60
TextField = Literal["title", "venue", "description", "content", "displayName"]
TEXT_MAX_LENGTH: dict[TextField, int] = {
    "title": TITLE_MAX,
    "venue": VENUE_MAX,
    "description": DESCRIPTION_MAX,
    "content": COMMENT_MAX,
    "displayName": DISPLAY_NAME_MAX,
}
"""Per input field; clients learn these from config.json."""
CAPACITY_MIN = 1
TIME_ZONE_DEFAULT = "UTC"
DURATION_MAX = timedelta(days=14)
"""The longest an event may last; listing ongoing events looks back this far (and no further)."""
CAPACITY_MAX = 100_000
PAGE_DEFAULT = 20
PAGE_MAX = 100


def to_aws_datetime(moment: datetime) -> str:
    """UTC with milliseconds and a Z: the form stored, returned and sorted on."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_aws_datetime(field: str, value: str | None) -> datetime:
    """AWSDateTime is ISO 8601 with a date, a time and a zone offset (or Z)."""
    if value is None:
        raise FIELD_ERRORS[field](f"{field} is required")
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise FIELD_ERRORS[field](
            f"{field} must be an AWSDateTime such as 2030-01-31T18:00:00Z, not {value!r}"
        ) from None
    if "T" not in value or moment.tzinfo is None:
        raise FIELD_ERRORS[field](f"{field} must be an AWSDateTime with a time and a zone offset, not {value!r}")
    return moment


def text(field: str, value: str | None, maximum: int, *, required: bool = True) -> str | None:
    """Trimmed text within its limit; an optional field may be left out (None) but not blank."""
    if value is None:
        if required:
            raise FIELD_ERRORS[field](f"{field} is required")
        return None
    return required_text(field, value, maximum)


def required_text(field: str, value: str | None, maximum: int) -> str:
    """``text`` for a field that must be present."""
    if value is None:
        raise FIELD_ERRORS[field](f"{field} is required")
    cleaned = value.strip()
    if not cleaned:
        raise FIELD_ERRORS[field](f"{field} must not be empty")
    if len(cleaned) > maximum:
        raise FIELD_ERRORS[field](f"{field} must be at most {maximum} characters, not {len(cleaned)}")
    return cleaned


def capacity(value: int | None) -> int:
    if value is None:
        raise FIELD_ERRORS["capacity"]("capacity is required")
    if not CAPACITY_MIN <= value <= CAPACITY_MAX:
        raise FIELD_ERRORS["capacity"](f"capacity must be between {CAPACITY_MIN} and {CAPACITY_MAX}, not {value}")
    return value


def page_size(value: int | None, default: int = PAGE_DEFAULT) -> int:
    if value is None:
        return default
    if not 1 <= value <= PAGE_MAX:
        raise FIELD_ERRORS["limit"](f"limit must be between 1 and {PAGE_MAX}, not {value}")
    return value


def time_zone(value: str | None, default: str | None = None) -> str:
    """An IANA zone name (Europe/Berlin); the tz database decides, so a typo or an offset is refused.
    None is ``default``, where there is one."""
    if value is None:
        if default is None:
            raise FIELD_ERRORS["timeZone"]("timeZone is required")
        return default
    # Imported here, not at module level: only writes carry a time zone, so a cold start that serves reads
    # never loads the tz machinery (zoneinfo pulls in sysconfig).
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = value.strip()
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise FIELD_ERRORS["timeZone"](
            f"timeZone must be an IANA time zone such as Europe/Berlin, not {value!r}"
        ) from None
    return name


def schedule(starts_at: datetime, ends_at: datetime, now: datetime | None) -> None:
    """``endsAt`` after ``startsAt`` and at most DURATION_MAX later; a start being set (``now`` given) must
    be in the future, while one left as it was may have passed."""
    if ends_at <= starts_at:
        raise FIELD_ERRORS["endsAt"]("endsAt must be after startsAt")
    if now is not None and starts_at < now:
        raise FIELD_ERRORS["startsAt"]("startsAt must be in the future")
    if ends_at - starts_at > DURATION_MAX:
        raise FIELD_ERRORS["endsAt"](f"endsAt must be at most {DURATION_MAX.days} days after startsAt")
