"""CORS as AppSync answers it: any origin may call the API; the API key or token is the gate, not the origin.

A preflight gets the methods and request headers AppSync allows (any ``x-amz-*`` header among them, as
AWS's signing and user-agent headers vary); every response from the API lets any origin read it and the
headers clients branch on. The local boundary is the loopback binding, not an origin list.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mirror.http_errors import ERROR_TYPE_HEADER, REQUEST_ID_HEADER

ALLOWED_METHODS = ("GET", "POST", "OPTIONS")
ALLOWED_HEADERS = (
    "content-type",
    "authorization",
    "x-api-key",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "x-amz-user-agent",
)
ALLOWED_HEADER_PREFIX = "x-amz-"
EXPOSED_HEADERS = (REQUEST_ID_HEADER, ERROR_TYPE_HEADER, "x-amzn-ErrorMessage", "Date")
MAX_AGE_SECONDS = 86_400


def preflight_headers(requested: str) -> dict[str, str]:
    """The answer to a preflight that asked for ``requested`` (its Access-Control-Request-Headers)."""
    asked = [name.strip().lower() for name in requested.split(",") if name.strip()]
    allowed = list(ALLOWED_HEADERS) + [
        name for name in asked if name.startswith(ALLOWED_HEADER_PREFIX) and name not in ALLOWED_HEADERS
    ]
    return {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": ", ".join(ALLOWED_METHODS),
        "access-control-allow-headers": ", ".join(allowed),
        "access-control-max-age": str(MAX_AGE_SECONDS),
    }


class AppSyncCors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            response = Response(headers=preflight_headers(headers.get("access-control-request-headers", "")))
            await response(scope, receive, send)
            return
        if "origin" not in headers:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers["access-control-allow-origin"] = "*"
                response_headers["access-control-expose-headers"] = ", ".join(EXPOSED_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_cors)
