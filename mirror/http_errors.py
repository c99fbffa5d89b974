"""AppSync's HTTP-level answers: every response names its request; a refused request says why in body and header.

AppSync sends ``x-amzn-RequestId`` on every response and, on a refused request, the error's type in
``x-amzn-ErrorType`` as well as in the body ``{"errors": [{"errorType", "message"}]}``
(``mirror.http_requests.appsync_http_error``). AWS's clients read the type from that header first
(Amplify's JSON error parser), so without it they report "Unknown error". The request id is made here,
once, and the GraphQL endpoint hands the same id to the Lambda (``request_id``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mirror.http_requests import appsync_http_error

REQUEST_ID_HEADER = "x-amzn-RequestId"
ERROR_TYPE_HEADER = "x-amzn-ErrorType"


@dataclass(frozen=True)
class HttpError:
    status: int
    error_type: str
    message: str

    def entry(self) -> dict[str, Any]:
        """The error as one entry of ``errors[]`` (also what the real-time protocol sends)."""
        return {"errorType": self.error_type, "message": self.message}

    def response(self) -> Response:
        return appsync_http_error(self.status, self.error_type, self.message)


UNAUTHORIZED = HttpError(401, "UnauthorizedException", "You are not authorized to make this call.")


def request_id(connection: HTTPConnection) -> str:
    """The id ``WithRequestIds`` gave this request (a fresh one where it did not run)."""
    given = getattr(connection.state, "request_id", None)
    return given if isinstance(given, str) else str(uuid.uuid4())


class WithRequestIds:
    """Gives each HTTP request an id, sent back in ``x-amzn-RequestId`` as AppSync does."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        made = str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = made

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = made
            await send(message)

        await self.app(scope, receive, send_with_id)
