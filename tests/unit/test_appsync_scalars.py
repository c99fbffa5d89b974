"""Every AppSync scalar the mirror validates: what AppSync accepts passes unchanged, the rest is refused."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLError

from mirror.appsync_scalars import STRING_CHECKS, parse_scalar
from mirror.appsync_sdl import APPSYNC_SCALARS

ACCEPTED: dict[str, list[Any]] = {
    "AWSDateTime": [
        "2030-01-31T18:00:00Z",
        "2030-01-31T18:00:00.123Z",
        "2030-01-31T18:00:00+01:00",
        "2030-01-31T18:00Z",
    ],
    "AWSDate": ["2030-01-31", "2030-01-31Z", "2030-01-31+05:30"],
    "AWSTime": ["18:00", "18:00:59", "18:00:59.123", "18:00:00Z", "18:00:00-07:00"],
    "AWSTimestamp": [0, 1_900_000_000, -1],
    "AWSEmail": ["ada@example.org", "a.b+c@sub.example.co"],
    "AWSJSON": ['{"a": 1}', "[1, 2]", '"text"', "3", "null"],
    "AWSURL": ["https://example.org/path?q=1", "ftp://host", "mailto://ada@example.org"],
    "AWSPhone": ["+1 555 123 4567", "(555) 123-4567", "+44.20.7946.0958"],
    "AWSIPAddress": ["127.0.0.1", "10.0.0.0/8", "::1", "2001:db8::/32"],
}
REFUSED: dict[str, list[Any]] = {
    "AWSDateTime": ["2030-01-31", "2030-01-31T18:00:00", "2030-13-01T18:00:00Z", "next tuesday", 1_900_000_000, None],
    "AWSDate": ["2030-02-30", "31/01/2030", "2030-01-31T18:00:00Z", 20300131],
    "AWSTime": ["6pm", "18", "18:00:00 Z", 1800],
    "AWSTimestamp": ["1900000000", 1.5, True, None],
    "AWSEmail": ["ada", "ada@", "@example.org", "ada@example", "a da@example.org", 7],
    "AWSJSON": ["{a: 1}", "", "{'a': 1}", {"a": 1}],
    "AWSURL": ["example.org", "/relative/path", "https:// spaced", 7],
    "AWSPhone": ["call me", "12", "", 5551234567],
    "AWSIPAddress": ["256.0.0.1", "localhost", "10.0.0.0/33", "", 127],
}


def test_every_scalar_the_mirror_declares_is_covered_here() -> None:
    assert set(ACCEPTED) == set(REFUSED) == set(APPSYNC_SCALARS)
    assert set(STRING_CHECKS) | {"AWSTimestamp"} == set(APPSYNC_SCALARS)


@pytest.mark.parametrize(("name", "value"), [(name, value) for name, values in ACCEPTED.items() for value in values])
def test_accepted_values_pass_unchanged(name: str, value: Any) -> None:
    assert parse_scalar(name, value) == value


@pytest.mark.parametrize(("name", "value"), [(name, value) for name, values in REFUSED.items() for value in values])
def test_malformed_values_are_graphql_errors_naming_the_scalar(name: str, value: Any) -> None:
    with pytest.raises(GraphQLError, match=f"is not a valid '{name}'"):
        parse_scalar(name, value)
