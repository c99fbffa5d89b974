"""The preflight answer: AppSync's request headers, and any x-amz-* header a client asks for."""

from __future__ import annotations

from mirror.cors import ALLOWED_HEADERS, preflight_headers


def test_asked_x_amz_headers_are_allowed_and_others_are_not() -> None:
    answer = preflight_headers("Content-Type, X-Amz-Target-Thing, x-evil")
    allowed = answer["access-control-allow-headers"].split(", ")
    assert set(ALLOWED_HEADERS) <= set(allowed)
    assert "x-amz-target-thing" in allowed
    assert "x-evil" not in allowed
    assert answer["access-control-allow-origin"] == "*"


def test_a_preflight_without_requested_headers_gets_the_standard_list() -> None:
    assert preflight_headers("")["access-control-allow-headers"].split(", ") == list(ALLOWED_HEADERS)
