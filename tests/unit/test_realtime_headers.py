"""The real-time endpoint's reading of the auth header object, from a WebSocket scope alone (no server).

AppSync documents three forms: base64 JSON in the ``header`` query parameter, a ``header-<base64url>``
subprotocol, and plain headers on the upgrade request. Clients differ in the base64 they send.
"""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import pytest
from starlette.websockets import WebSocket

from mirror.realtime import HEADER_SUBPROTOCOL_PREFIX, SUBPROTOCOL, connection_headers

HEADER = {"host": "api.example:4000", "x-api-key": "da2-key??>>"}  # ?? and >> encode to + and / in base64


async def _never(*_: Any) -> Any:
    raise AssertionError("reading headers receives and sends nothing")


def socket(query: str = "", subprotocols: tuple[str, ...] = (SUBPROTOCOL,), **headers: str) -> WebSocket:
    scope = {
        "type": "websocket",
        "path": "/graphql/realtime",
        "query_string": query.encode(),
        "headers": [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()],
        "subprotocols": list(subprotocols),
    }
    return WebSocket(scope, _never, _never)


def standard(value: object) -> str:
    return base64.b64encode(json.dumps(value).encode()).decode()


def url_safe_unpadded(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_the_encodings_differ_so_each_form_below_is_tested() -> None:
    assert "+" in standard(HEADER) or "/" in standard(HEADER)
    assert standard(HEADER).endswith("=")


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(f"header={quote(standard(HEADER))}&payload=e30=", id="standard-escaped"),
        pytest.param(f"header={standard(HEADER)}&payload=e30=", id="standard-unescaped-plus-as-space"),
        pytest.param(f"header={url_safe_unpadded(HEADER)}&payload=e30=", id="url-safe-unpadded"),
    ],
)
def test_the_header_query_parameter(query: str) -> None:
    assert connection_headers(socket(query)) == HEADER


def test_a_header_subprotocol() -> None:
    protocols = (SUBPROTOCOL, HEADER_SUBPROTOCOL_PREFIX + url_safe_unpadded(HEADER))
    assert connection_headers(socket(subprotocols=protocols)) == HEADER


def test_the_upgrade_requests_own_headers() -> None:
    assert connection_headers(socket(host="api.example", x_api_key="da2-key")) == {
        "host": "api.example",
        "x-api-key": "da2-key",
    }
    token = connection_headers(socket(host="api.example", authorization="eyJ.token"))
    assert token == {"host": "api.example", "authorization": "eyJ.token"}


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("header=not-base64!!&payload=e30=", id="not-base64"),
        pytest.param(f"header={standard(['a', 'list'])}&payload=e30=", id="not-an-object"),
        pytest.param(f"header={base64.b64encode(b'{broken').decode()}", id="not-json"),
        pytest.param(f"header={base64.b64encode(bytes([0xFF, 0xFE])).decode()}", id="not-utf8"),
    ],
)
def test_malformed_header_objects_authenticate_nobody(query: str) -> None:
    assert connection_headers(socket(query, host="api.example", x_api_key="da2-key")) is None


def test_no_credentials_at_all() -> None:
    assert connection_headers(socket(host="api.example")) is None
