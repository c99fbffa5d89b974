"""AppSync's real-time protocol on the mirror: gql's AppSync transport, and every message pinned raw."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlparse

import pytest
import websockets
from gql import Client, GraphQLRequest
from gql.transport.appsync_auth import AppSyncApiKeyAuthentication, AppSyncJWTAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport

from tests.conftest import OpenSubscriptions, RunningStack
from tests.integration.conftest import event_input

ON_COMMENT = "subscription($id: ID!) { onCommentAdded(eventId: $id) { id eventId content author { displayName } } }"
ON_EVENT = "subscription($id: ID!) { onEventChanged(id: $id) { id attendeeCount } }"
COMMENT = (
    "mutation($id: ID!, $c: String!) { commentOnEvent(eventId: $id, content: $c) "
    "{ id eventId content createdAt author { displayName } } }"
)
RECEIVE_TIMEOUT = 10


def _realtime_url(stack: RunningStack, path: str = "/graphql/realtime") -> str:
    """Where AWS's clients look for it (``<graphql url>/realtime``), or the API's own path."""
    return stack.base_url.replace("http://", "ws://") + path


def _host(stack: RunningStack) -> str:
    return urlparse(stack.graphql_url).netloc


def _b64(value: dict[str, Any], *, url_safe: bool = False) -> str:
    raw = json.dumps(value).encode()
    return (base64.urlsafe_b64encode(raw).rstrip(b"=") if url_safe else base64.b64encode(raw)).decode()


def _create_event(stack: RunningStack, user: str) -> str:
    body = stack.graphql(
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }", {"input": event_input()}, user=user
    )
    event_id: str = body["data"]["createEvent"]["id"]
    return event_id


def _comment(stack: RunningStack, user: str, event_id: str, text: str) -> dict[str, Any]:
    body = stack.graphql(COMMENT, {"id": event_id, "c": text}, user=user)
    assert "errors" not in body, body
    comment: dict[str, Any] = body["data"]["commentOnEvent"]
    return comment


@pytest.fixture
def writer() -> str:
    return f"writer-{uuid.uuid4().hex[:6]}"


# gql's AppSync transport ----------------------------------------------------------------------------


@pytest.mark.parametrize("auth_mode", ["api_key", "jwt"])
async def test_gql_appsync_transport_receives_a_comment_made_over_http(
    local_stack: RunningStack, writer: str, auth_mode: str, open_subscriptions: OpenSubscriptions
) -> None:
    event_id = await asyncio.to_thread(_create_event, local_stack, writer)
    auth: Any = (
        AppSyncApiKeyAuthentication(host=_host(local_stack), api_key=local_stack.api_key)
        if auth_mode == "api_key"
        else AppSyncJWTAuthentication(host=_host(local_stack), jwt=local_stack.id_token(f"reader-{writer}"))
    )
    transport = AppSyncWebsocketsTransport(url=_realtime_url(local_stack), auth=auth)
    async with Client(transport=transport) as session:
        stream = session.subscribe(GraphQLRequest(ON_COMMENT, variable_values={"id": event_id}))
        first = asyncio.ensure_future(anext(stream))
        assert await asyncio.to_thread(open_subscriptions.wait_for, 1, RECEIVE_TIMEOUT)
        made = await asyncio.to_thread(_comment, local_stack, writer, event_id, f"live via {auth_mode}")
        received = await asyncio.wait_for(first, RECEIVE_TIMEOUT)
        await stream.aclose()
    assert received["onCommentAdded"] == {
        "id": made["id"],
        "eventId": event_id,
        "content": f"live via {auth_mode}",
        "author": {"displayName": writer},
    }


# The protocol, message by message ----------------------------------------------------------------


@asynccontextmanager
async def _connected(
    stack: RunningStack,
    *,
    header_as: str = "query",
    headers: dict[str, Any] | None = None,
    path: str = "/graphql/realtime",
    origin: str | None = None,
) -> AsyncIterator[Any]:
    """A socket with the auth header object in one of AppSync's three forms: ``query`` parameter,
    ``subprotocol``, or ``upgrade`` (plain HTTP headers on the upgrade request, host being its own)."""
    auth = headers if headers is not None else {"host": _host(stack), "x-api-key": stack.api_key}
    url = _realtime_url(stack, path)
    subprotocols = ["graphql-ws"]
    upgrade_headers: dict[str, str] = {}
    if header_as == "query":
        url += f"?header={_b64(auth)}&payload=e30="
    elif header_as == "subprotocol":
        subprotocols.append(f"header-{_b64(auth, url_safe=True)}")
    else:
        upgrade_headers = {name: value for name, value in auth.items() if name.lower() != "host"}
    protocols: Any = subprotocols
    origin_header: Any = origin
    async with websockets.connect(
        url, subprotocols=protocols, additional_headers=upgrade_headers, origin=origin_header
    ) as socket:
        yield socket


async def _next(socket: Any) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), RECEIVE_TIMEOUT))
    return message


async def _next_not_ka(socket: Any) -> dict[str, Any]:
    while (message := await _next(socket))["type"] == "ka":
        pass
    return message


async def _init(socket: Any) -> None:
    await socket.send(json.dumps({"type": "connection_init"}))
    assert await _next(socket) == {"type": "connection_ack", "payload": {"connectionTimeoutMs": 300000}}
    assert await _next(socket) == {"type": "ka"}


def _start(stack: RunningStack, subscription_id: str, query: str, variables: dict[str, Any], **auth: Any) -> str:
    authorization = auth or {"host": _host(stack), "x-api-key": stack.api_key}
    return json.dumps(
        {
            "id": subscription_id,
            "type": "start",
            "payload": {
                "data": json.dumps({"query": query, "variables": variables}),
                "extensions": {"authorization": authorization},
            },
        }
    )


async def test_raw_base64_with_plus_signs_in_the_query_string(local_stack: RunningStack) -> None:
    """Standard base64 sent unescaped (as some AWS clients do): "+" must not turn into a space."""
    auth = {"host": _host(local_stack), "x-api-key": local_stack.api_key, "pad": ">>>?"}
    header = _b64(auth)
    assert "+" in header
    protocols: Any = ["graphql-ws"]
    async with websockets.connect(
        f"{_realtime_url(local_stack)}?header={header}&payload=e30=", subprotocols=protocols
    ) as socket:
        await _init(socket)


@pytest.mark.parametrize(
    ("header_as", "path"),
    [
        ("query", "/graphql/realtime"),
        ("subprotocol", "/graphql/realtime"),
        ("upgrade", "/graphql/realtime"),
        ("query", "/graphql"),
        ("subprotocol", "/graphql"),
        ("upgrade", "/graphql"),
    ],
)
async def test_protocol_messages_in_order(local_stack: RunningStack, writer: str, header_as: str, path: str) -> None:
    event_id = await asyncio.to_thread(_create_event, local_stack, writer)
    async with _connected(local_stack, header_as=header_as, path=path) as socket:
        assert socket.subprotocol == "graphql-ws"
        await _init(socket)
        await socket.send(_start(local_stack, "sub-1", ON_COMMENT, {"id": event_id}))
        assert await _next_not_ka(socket) == {"type": "start_ack", "id": "sub-1"}
        made = await asyncio.to_thread(_comment, local_stack, writer, event_id, "hello")
        data = await _next_not_ka(socket)
        assert data["type"] == "data"
        assert data["id"] == "sub-1"
        assert data["payload"]["data"]["onCommentAdded"]["id"] == made["id"]
        await socket.send(json.dumps({"type": "stop", "id": "sub-1"}))
        assert await _next_not_ka(socket) == {"type": "complete", "id": "sub-1"}


async def test_only_matching_results_are_delivered(local_stack: RunningStack, writer: str) -> None:
    watched, other = [await asyncio.to_thread(_create_event, local_stack, writer) for _ in range(2)]
    async with _connected(local_stack) as socket:
        await _init(socket)
        await socket.send(_start(local_stack, "watch", ON_COMMENT, {"id": watched}))
        assert (await _next_not_ka(socket))["type"] == "start_ack"
        await asyncio.to_thread(_comment, local_stack, writer, other, "elsewhere")
        await asyncio.to_thread(_comment, local_stack, writer, watched, "here")
        # Results are sent in the order mutations finish: had "elsewhere" matched, it would come first.
        delivered = await _next_not_ka(socket)
        assert delivered["payload"]["data"]["onCommentAdded"]["content"] == "here"


async def test_the_subscribers_selection_runs_over_what_the_mutation_selected(
    local_stack: RunningStack, writer: str
) -> None:
    """As on AppSync (aws-amplify/amplify-category-api#1338): __typename resolves, a nullable field the mutation
    did not select is null, and a non-null one nulls the subscription field with AppSync's error."""
    event_id = await asyncio.to_thread(_create_event, local_stack, writer)
    async with _connected(local_stack) as socket:
        await _init(socket)
        light = "subscription($id: ID!) { onEventChanged(id: $id) { __typename id attendeeCount description } }"
        await socket.send(_start(local_stack, "light", light, {"id": event_id}))
        assert (await _next_not_ka(socket))["type"] == "start_ack"
        titled = "subscription($id: ID!) { onEventChanged(id: $id) { id attendeeCount title } }"
        await socket.send(_start(local_stack, "titled", titled, {"id": event_id}))
        assert (await _next_not_ka(socket))["type"] == "start_ack"
        rsvp = "mutation($id: ID!) { rsvp(eventId: $id) { id attendeeCount } }"
        await asyncio.to_thread(local_stack.graphql, rsvp, {"id": event_id}, f"guest-{writer}")
        delivered = {message["id"]: message["payload"] for message in [await _next_not_ka(socket) for _ in range(2)]}
    assert delivered["light"] == {
        "data": {"onEventChanged": {"__typename": "Event", "id": event_id, "attendeeCount": 1, "description": None}}
    }
    # title is String! and the mutation did not select it.
    assert delivered["titled"] == {
        "data": {"onEventChanged": None},
        "errors": [
            {
                "message": "Cannot return null for non-nullable type: 'String' within parent 'Event' "
                "(/onEventChanged/title)",
                "path": ["onEventChanged", "title"],
            }
        ],
    }


async def test_a_mutation_result_without_the_filtered_field_is_not_delivered(
    local_stack: RunningStack, writer: str
) -> None:
    event_id = await asyncio.to_thread(_create_event, local_stack, writer)
    async with _connected(local_stack) as socket:
        await _init(socket)
        await socket.send(_start(local_stack, "seats", ON_EVENT, {"id": event_id}))
        assert (await _next_not_ka(socket))["type"] == "start_ack"
        without_id = "mutation($id: ID!) { rsvp(eventId: $id) { attendeeCount } }"
        await asyncio.to_thread(local_stack.graphql, without_id, {"id": event_id}, f"first-{writer}")
        with_id = "mutation($id: ID!) { rsvp(eventId: $id) { id attendeeCount } }"
        await asyncio.to_thread(local_stack.graphql, with_id, {"id": event_id}, f"second-{writer}")
        delivered = await _next_not_ka(socket)
        assert delivered["payload"]["data"]["onEventChanged"]["attendeeCount"] == 2


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"host": "x", "x-api-key": "da2-wrong"}, id="wrong-key"),
        pytest.param({"host": "x"}, id="no-credential"),
        pytest.param({"host": "x", "Authorization": "not-a-jwt"}, id="bad-token"),
    ],
)
@pytest.mark.parametrize("header_as", ["query", "upgrade"])
async def test_bad_connection_auth_gets_connection_error(
    local_stack: RunningStack, headers: dict[str, Any], header_as: str
) -> None:
    async with _connected(local_stack, headers=headers, header_as=header_as) as socket:
        message = await _next(socket)
        assert message["type"] == "connection_error"
        assert message["payload"]["errors"][0]["errorType"] == "UnauthorizedException"


async def test_start_errors(local_stack: RunningStack, writer: str) -> None:
    event_id = await asyncio.to_thread(_create_event, local_stack, writer)
    async with _connected(local_stack) as socket:
        await _init(socket)
        await socket.send(
            _start(local_stack, "a", ON_COMMENT, {"id": event_id}, host=_host(local_stack), **{"x-api-key": "bad"})
        )
        refused = await _next_not_ka(socket)
        assert (refused["type"], refused["id"], refused["payload"]["errors"][0]["errorType"]) == (
            "error",
            "a",
            "UnauthorizedException",
        )
        await socket.send(_start(local_stack, "b", "subscription { onNothing { id } }", {}))
        unknown = await _next_not_ka(socket)
        assert unknown["payload"]["errors"][0]["errorType"] == "ValidationError"
        assert "onNothing" in unknown["payload"]["errors"][0]["message"]
        await socket.send(_start(local_stack, "c", "{ listEvents { nextToken } }", {}))
        assert (await _next_not_ka(socket))["payload"]["errors"][0]["errorType"] == "UnsupportedOperation"
        await socket.send(_start(local_stack, "d", ON_COMMENT, {"id": event_id}))
        assert (await _next_not_ka(socket))["type"] == "start_ack"
        await socket.send(_start(local_stack, "d", ON_COMMENT, {"id": event_id}))
        assert (await _next_not_ka(socket))["payload"]["errors"] == [
            {"errorType": "DuplicatedOperationError", "message": "Duplicated operation with id d"}
        ]


async def test_a_closed_client_leaves_nothing_behind(
    local_stack: RunningStack, writer: str, open_subscriptions: OpenSubscriptions
) -> None:
    event_id = await asyncio.to_thread(_create_event, local_stack, writer)
    async with _connected(local_stack) as socket:
        await _init(socket)
        for n in range(3):
            await socket.send(_start(local_stack, f"s{n}", ON_COMMENT, {"id": event_id}))
            assert (await _next_not_ka(socket))["type"] == "start_ack"
        assert open_subscriptions.count() == 3
    assert await asyncio.to_thread(open_subscriptions.wait_for, 0, RECEIVE_TIMEOUT)


@pytest.mark.parametrize("path", ["/graphql/realtime", "/graphql"])
async def test_any_origin_may_connect_the_credentials_are_the_gate(local_stack: RunningStack, path: str) -> None:
    """AppSync keeps no origin allow-list for its real-time endpoint (aws/aws-appsync-community#277 asks for one)."""
    async with _connected(local_stack, path=path, origin="http://127.0.0.1:5173") as socket:
        await _init(socket)
    wrong = {"host": _host(local_stack), "x-api-key": "da2-wrong"}
    async with _connected(local_stack, path=path, origin="http://127.0.0.1:5173", headers=wrong) as socket:
        assert (await _next(socket))["type"] == "connection_error"
