"""What AppSync refuses before any GraphQL runs: POST bodies that are not a GraphQL request in JSON.

AppSync answers an empty body with 400 ``Request body is empty.`` and anything that does not parse
as a request (``meow``, ``{}``, ``[]``) with 400 ``Unable to parse GraphQL query.``, both with
``errorType: MalformedHttpRequestException`` (the AppSync team's description of its HTTP behaviour,
graphql/graphql-over-http#81). The mirror gives every other body it cannot take the same answer: bodies
that are not UTF-8, nest too deeply, come under a content type other than JSON or GraphQL, or exceed
the request size limit. Bodies are read up to the limit and no further.
"""

from __future__ import annotations

import json
from typing import Any, Final

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Receive, Scope

MALFORMED: Final = "MalformedHttpRequestException"
REQUEST_SIZE_LIMIT: Final = 1_048_576
"""Bytes. AppSync's documented ceiling for one GraphQL operation (EventBridge's AppSyncParameters)."""
JSON_NESTING_LIMIT: Final = 64
"""Deeper JSON than any request to this schema needs; the recursion it would cost is refused instead."""
ACCEPTED_CONTENT_TYPES: Final = ("application/json", "application/graphql")
"""AppSync's own examples post JSON bodies as ``application/graphql``; both mean a JSON request here."""


class MalformedRequest(Exception):
    def __init__(self, message: str, *, status: int = 400, close: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.close = close
        """The rest of the body was not read, so the connection cannot carry another request."""

    def response(self) -> Response:
        return appsync_http_error(self.status, MALFORMED, self.message, close=self.close)


def appsync_http_error(status: int, error_type: str, message: str, *, close: bool = False) -> Response:
    """A request-level refusal as AppSync sends it: the type in the body and in ``x-amzn-ErrorType``."""
    headers = {"x-amzn-ErrorType": error_type}
    if close:
        headers["connection"] = "close"
    return JSONResponse({"errors": [{"errorType": error_type, "message": message}]}, status, headers=headers)


async def read_graphql_request(scope: Scope, receive: Receive) -> bytes:
    """The body of a POST that is a well-formed GraphQL request; raises MalformedRequest otherwise."""
    headers = Headers(scope=scope)
    media_type = headers.get("content-type", "application/json").split(";", 1)[0].strip().lower()
    if media_type not in ACCEPTED_CONTENT_TYPES:
        raise MalformedRequest(f"Unsupported Content-Type {media_type!r}; send application/json.", close=True)
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > REQUEST_SIZE_LIMIT:
        raise _too_large()
    body = await _read_body(receive)
    check_graphql_request(body)
    return body


def check_graphql_request(body: bytes) -> None:
    """Raises MalformedRequest unless ``body`` is a JSON object with a query string, as AppSync requires."""
    if not body.strip():
        raise MalformedRequest("Request body is empty.")
    try:
        request = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedRequest("Unable to parse GraphQL query.") from None
    if not isinstance(request, dict) or not isinstance(request.get("query"), str) or not request["query"].strip():
        raise MalformedRequest("Unable to parse GraphQL query.")
    if not isinstance(request.get("variables"), dict | None):
        raise MalformedRequest("Variables must be a JSON object.")
    if not isinstance(request.get("operationName"), str | None):
        raise MalformedRequest("operationName must be a string.")
    if _nesting(request) > JSON_NESTING_LIMIT:
        raise MalformedRequest(f"Request JSON nests deeper than {JSON_NESTING_LIMIT} levels.")


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read, then whatever the client does next."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def as_json_request(scope: Scope) -> Scope:
    """The scope with ``content-type: application/json``, which is what Strawberry parses."""
    headers = [(name, value) for name, value in scope["headers"] if name != b"content-type"]
    return {**scope, "headers": [*headers, (b"content-type", b"application/json")]}


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise MalformedRequest("The client went away before sending the whole body.", close=True)
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > REQUEST_SIZE_LIMIT:
            raise _too_large()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _too_large() -> MalformedRequest:
    return MalformedRequest(f"Request body exceeds the limit of {REQUEST_SIZE_LIMIT} bytes.", status=413, close=True)


def _nesting(value: Any) -> int:
    """How deep ``value`` nests, found without recursion so that no input can exhaust the stack."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            pending.extend((child, depth + 1) for child in item)
    return deepest
