"""AppSync's built-in scalars, validated on input the way AppSync refuses malformed values."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from graphql import GraphQLError

_OFFSET = r"(Z|[+-]\d{2}:\d{2}(:\d{2})?)"
_TIME = r"\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?"
_DATETIME = re.compile(rf"^-?\d{{4,}}-\d{{2}}-\d{{2}}T{_TIME}{_OFFSET}$")
_DATE = re.compile(rf"^-?\d{{4,}}-\d{{2}}-\d{{2}}{_OFFSET}?$")
_TIME_ONLY = re.compile(rf"^{_TIME}{_OFFSET}?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$")
_PHONE = re.compile(r"^\+?[0-9 ()\-.]{3,}$")


def _refuse(name: str, value: Any) -> GraphQLError:
    return GraphQLError(f"{value!r} is not a valid '{name}'")


def _datetime(value: str) -> bool:
    if not _DATETIME.match(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _json(value: str) -> bool:
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def _ip(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True


STRING_CHECKS: dict[str, Callable[[str], bool]] = {
    "AWSDateTime": _datetime,
    "AWSDate": _date,
    "AWSTime": lambda value: bool(_TIME_ONLY.match(value)),
    "AWSEmail": lambda value: bool(_EMAIL.match(value)),
    "AWSJSON": _json,
    "AWSURL": lambda value: bool(_URL.match(value)),
    "AWSPhone": lambda value: bool(_PHONE.match(value)),
    "AWSIPAddress": _ip,
}


def parse_scalar(name: str, value: Any) -> Any:
    """Returns the value unchanged when AppSync would accept it; otherwise a GraphQL error."""
    if name == "AWSTimestamp":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise _refuse(name, value)
    if not isinstance(value, str) or not STRING_CHECKS[name](value):
        raise _refuse(name, value)
    return value
