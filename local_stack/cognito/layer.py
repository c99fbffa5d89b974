"""The layer around moto's Cognito: chosen Cognito actions are answered by Gather's handlers, the rest by moto.

Cognito's API is JSON over POST with ``X-Amz-Target: AWSCognitoIdentityProviderService.<Action>``. For an
action with handlers, each handler gets the call and a ``forward`` that passes a (possibly rewritten)
call on, to the next handler of that action and finally to moto; a handler may answer by itself, rewrite
the call, or adjust moto's reply. Handlers are registered as ``(action, handler)`` pairs, in order. Every
other request (including CORS preflights and moto's own ``/moto-api``) reaches moto untouched.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class CognitoCall:
    action: str
    body: dict[str, Any]

    def with_body(self, **changes: Any) -> CognitoCall:
        return replace(self, body={**self.body, **changes})


@dataclass(frozen=True)
class CognitoReply:
    status: int
    body: dict[str, Any]
    headers: tuple[tuple[str, str], ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.status < 400

    @classmethod
    def answer(cls, body: dict[str, Any]) -> CognitoReply:
        return cls(200, body)

    @classmethod
    def error(cls, error_type: str, message: str, status: int = 400) -> CognitoReply:
        """An error as Cognito sends it: ``__type`` and ``message`` in the body, the type in a header too."""
        return cls(status, {"__type": error_type, "message": message}, (("x-amzn-ErrorType", error_type),))

    def with_body(self, **changes: Any) -> CognitoReply:
        return replace(self, body={**self.body, **changes})


Forward = Callable[[CognitoCall], CognitoReply]
Handler = Callable[[CognitoCall, Forward], CognitoReply]


class CognitoLayer:
    """A WSGI app in front of moto's: the registered handlers first, then moto."""

    def __init__(self, moto: WsgiApp, handlers: Sequence[tuple[str, Handler]]) -> None:
        self.moto = moto
        self.handlers: dict[str, list[Handler]] = {}
        for action, handler in handlers:
            self.handlers.setdefault(action, []).append(handler)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        action = target.removeprefix(TARGET_PREFIX) if target.startswith(TARGET_PREFIX) else ""
        if environ.get("REQUEST_METHOD") != "POST" or action not in self.handlers:
            return self.moto(environ, start_response)
        try:
            body = json.loads(_read_body(environ) or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            reply = CognitoReply.error("SerializationException", "The request body is not a JSON object.")
        else:
            reply = self._chain(action, environ)(CognitoCall(action, body))
        return _respond(reply, environ, start_response)

    def _chain(self, action: str, environ: dict[str, Any]) -> Forward:
        def to_moto(call: CognitoCall) -> CognitoReply:
            return _call_moto(self.moto, environ, call)

        forward: Forward = to_moto
        for handler in reversed(self.handlers[action]):
            forward = _bind(handler, forward)
        return forward


def _bind(handler: Handler, forward: Forward) -> Forward:
    return lambda call: handler(call, forward)


def _read_body(environ: dict[str, Any]) -> bytes:
    length = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    data: bytes = stream.read(int(length)) if length.isdigit() else stream.read()
    return data


def _call_moto(moto: WsgiApp, environ: dict[str, Any], call: CognitoCall) -> CognitoReply:
    payload = json.dumps(call.body).encode()
    inner = {
        **environ,
        "HTTP_X_AMZ_TARGET": TARGET_PREFIX + call.action,
        "CONTENT_LENGTH": str(len(payload)),
        "wsgi.input": io.BytesIO(payload),
    }
    captured: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        captured["status"] = int(status.split(" ", 1)[0])
        captured["headers"] = tuple(headers)

    chunks = moto(inner, start_response)
    try:
        raw = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    body = json.loads(raw) if raw.strip() else {}
    headers = tuple(
        (name, value)
        for name, value in captured["headers"]
        if name.lower() not in {"content-length", "content-type", "x-amzn-requestid"}
    )
    return CognitoReply(captured["status"], body if isinstance(body, dict) else {}, headers)


def _respond(reply: CognitoReply, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    payload = json.dumps(reply.body).encode()
    headers = [
        ("Content-Type", JSON_CONTENT_TYPE),
        ("Content-Length", str(len(payload))),
        ("x-amzn-RequestId", str(uuid.uuid4())),
        *reply.headers,
    ]
    if environ.get("HTTP_ORIGIN") and not any(name.lower() == "access-control-allow-origin" for name, _ in headers):
        headers.append(("Access-Control-Allow-Origin", "*"))  # as moto answers every other call
    start_response(f"{reply.status} {HTTPStatus(reply.status).phrase}", headers)
    return [payload]
