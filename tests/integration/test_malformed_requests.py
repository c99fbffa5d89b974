"""Hostile and broken HTTP requests: each gets AppSync's 4xx answer, the log stays quiet, serving goes on."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import httpx
import pytest

from mirror.http_requests import JSON_NESTING_LIMIT, REQUEST_SIZE_LIMIT
from tests.conftest import RunningStack
from tests.integration.conftest import noisy

UNPARSABLE = "Unable to parse GraphQL query."
PLAIN = "{ listEvents(limit: 1) { items { id } } }"


def _json(value: object) -> bytes:
    return json.dumps(value).encode()


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _with_variable(value: str) -> bytes:
    return f'{{"query": "{{ __typename }}", "variables": {{"v": {value}}}}}'.encode()


def _unsupported(media_type: str) -> str:
    return f"Unsupported Content-Type {media_type!r}; send application/json."


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes
    message: str
    content_type: str = "application/json"
    status: int = 400


CASES = [
    Case("empty", b"", "Request body is empty."),
    Case("not json", b"meow", UNPARSABLE),
    Case("unbalanced", b"{}}", UNPARSABLE),
    Case("empty object", b"{}", UNPARSABLE),
    Case("array", b"[]", UNPARSABLE),
    Case("batch", _json([{"query": PLAIN}]), UNPARSABLE),
    Case("number", b"42", UNPARSABLE),
    Case("string", b'"x"', UNPARSABLE),
    Case("null", b"null", UNPARSABLE),
    Case("query not a string", _json({"query": 7}), UNPARSABLE),
    Case("blank query", _json({"query": "  "}), UNPARSABLE),
    Case("latin-1", '{"query": "{ __typename }", "x": "café"}'.encode("latin-1"), UNPARSABLE),
    Case("surrogate bytes", b'{"query": "\xed\xa0\x80"}', UNPARSABLE),
    Case("too deep to parse", _with_variable(_nested(200_000)), UNPARSABLE),
    Case(
        "deeper than the nesting limit",
        _with_variable(_nested(JSON_NESTING_LIMIT + 1)),
        f"Request JSON nests deeper than {JSON_NESTING_LIMIT} levels.",
    ),
    Case("variables a list", _json({"query": PLAIN, "variables": [1]}), "Variables must be a JSON object."),
    Case("operation name a number", _json({"query": PLAIN, "operationName": 1}), "operationName must be a string."),
    Case("text/plain", _json({"query": PLAIN}), _unsupported("text/plain"), "text/plain"),
    Case(
        "form",
        b"query=%7B__typename%7D",
        _unsupported("application/x-www-form-urlencoded"),
        "application/x-www-form-urlencoded",
    ),
    Case("multipart", b"--x\r\n\r\n--x--", _unsupported("multipart/form-data"), "multipart/form-data; boundary=x"),
    Case(
        "over the size limit",
        _json({"query": PLAIN, "variables": {"pad": "x" * REQUEST_SIZE_LIMIT}}),
        f"Request body exceeds the limit of {REQUEST_SIZE_LIMIT} bytes.",
        status=413,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_malformed_requests_get_appsyncs_answer_and_leave_the_log_quiet(
    local_stack: RunningStack, server_log: list[logging.LogRecord], case: Case
) -> None:
    headers = {**local_stack.headers(), "content-type": case.content_type}
    with httpx.Client(timeout=30) as client:
        response = client.post(local_stack.graphql_url, content=case.body, headers=headers)
        assert response.status_code == case.status, response.text
        assert response.headers["x-amzn-ErrorType"] == "MalformedHttpRequestException"
        assert response.headers["content-type"] == "application/json"
        assert response.json() == {"errors": [{"errorType": "MalformedHttpRequestException", "message": case.message}]}
        # The same client carries on: the connection is either still good or was announced as closed.
        after = client.post(local_stack.graphql_url, json={"query": PLAIN}, headers=local_stack.headers())
        assert after.status_code == 200
        assert after.json()["data"]["listEvents"]["items"]
    assert noisy(server_log) == []


def test_a_json_body_sent_as_application_graphql_is_served(local_stack: RunningStack) -> None:
    """AppSync's own curl examples post JSON under ``application/graphql``."""
    headers = {**local_stack.headers(), "content-type": "application/graphql"}
    response = local_stack.http.post(local_stack.graphql_url, content=_json({"query": PLAIN}), headers=headers)
    assert response.status_code == 200
    assert response.json()["data"]["listEvents"]["items"]


def test_a_body_just_under_the_limit_is_read(local_stack: RunningStack) -> None:
    body = _json({"query": PLAIN, "pad": ""})
    padded = _json({"query": PLAIN, "pad": "x" * (REQUEST_SIZE_LIMIT - len(body))})
    assert len(padded) == REQUEST_SIZE_LIMIT
    response = local_stack.http.post(local_stack.graphql_url, content=padded, headers=local_stack.headers())
    assert response.status_code == 200
    assert response.json()["data"]["listEvents"]["items"]
