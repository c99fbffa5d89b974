"""Hostile real-time clients: malformed and out-of-order messages, silence, floods of subscriptions, and
clients that never read. Each gets AppSync's protocol answer; the server stays up, bounded, and quiet."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
import websockets
from websockets.client import ClientProtocol
from websockets.protocol import State
from websockets.typing import Subprotocol
from websockets.uri import parse_uri

from mirror.http_requests import REQUEST_SIZE_LIMIT
from mirror.realtime import INIT_TIMEOUT_SECONDS, MAX_SUBSCRIPTIONS, OUTBOX_LIMIT
from tests.conftest import OpenSubscriptions, RunningStack
from tests.integration.conftest import noisy
from tests.integration.test_realtime import (
    ON_COMMENT,
    RECEIVE_TIMEOUT,
    _b64,
    _comment,
    _connected,
    _create_event,
    _host,
    _init,
    _next,
    _next_not_ka,
    _realtime_url,
    _start,
)

COMMENT_TEXT = "x" * 1900


@pytest.fixture(scope="module")
def writer() -> str:
    return f"writer-{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def shared_event(local_stack: RunningStack, writer: str) -> str:
    """One event for the tests that only need something to subscribe to (the session's list stays short)."""
    return _create_event(local_stack, writer)


@dataclass(frozen=True)
class Bad:
    name: str
    frame: str | bytes
    error_type: str
    subscription_id: str | None = None


def _start_with(payload: Any, subscription_id: str = "m") -> str:
    return json.dumps({"id": subscription_id, "type": "start", "payload": payload})


BAD_MESSAGES = [
    Bad("binary frame", b"\x00\x01\x02", "MalformedMessage"),
    Bad("not json", "meow", "MalformedMessage"),
    Bad("json array", "[]", "MalformedMessage"),
    Bad("no type", '{"id": "m"}', "MalformedMessage"),
    Bad("type not a string", '{"type": 5}', "MalformedMessage"),
    Bad("too deep", "[" * 100_000 + "]" * 100_000, "MalformedMessage"),
    Bad("unknown type", '{"type": "subscribe", "id": "m"}', "UnsupportedOperation", "m"),
    Bad("start without id", _start_with({}, ""), "MalformedMessage"),
    Bad("payload a string", _start_with("x"), "MalformedMessage", "m"),
    Bad("extensions a string", _start_with({"data": "{}", "extensions": "x"}), "MalformedMessage", "m"),
    Bad("data not a string", _start_with({"data": 5, "extensions": {}}), "MalformedMessage", "m"),
]


def _authorized(stack: RunningStack, frame: str | bytes) -> str | bytes:
    """A start whose extensions are an object gets valid credentials, so what is refused is the malformed part."""
    if isinstance(frame, bytes) or '"start"' not in frame:
        return frame
    message = json.loads(frame)
    extensions = message["payload"].get("extensions") if isinstance(message["payload"], dict) else None
    if isinstance(extensions, dict):
        extensions["authorization"] = {"host": _host(stack), "x-api-key": stack.api_key}
    return json.dumps(message)


@pytest.mark.parametrize("bad", BAD_MESSAGES, ids=[bad.name for bad in BAD_MESSAGES])
async def test_malformed_messages_get_protocol_errors_and_the_connection_carries_on(
    local_stack: RunningStack, server_log: list[logging.LogRecord], shared_event: str, bad: Bad
) -> None:
    event_id = shared_event
    async with _connected(local_stack) as socket:
        await _init(socket)
        await socket.send(_authorized(local_stack, bad.frame))
        refused = await _next_not_ka(socket)
        assert refused["type"] == "error", refused
        assert refused.get("id") == bad.subscription_id
        assert refused["payload"]["errors"][0]["errorType"] == bad.error_type
        await socket.send(_start(local_stack, "ok", ON_COMMENT, {"id": event_id}))
        assert await _next_not_ka(socket) == {"type": "start_ack", "id": "ok"}
    assert noisy(server_log) == []


async def test_a_frame_over_the_request_size_limit_closes_the_socket_as_too_big(local_stack: RunningStack) -> None:
    async with _connected(local_stack) as socket:
        await _init(socket)
        await socket.send(json.dumps({"type": "start", "id": "big", "payload": {"data": "x" * REQUEST_SIZE_LIMIT}}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await _next_not_ka(socket)
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1009


async def test_start_before_the_ack_is_refused(local_stack: RunningStack, shared_event: str) -> None:
    event_id = shared_event
    async with _connected(local_stack) as socket:
        await socket.send(_start(local_stack, "early", ON_COMMENT, {"id": event_id}))
        refused = await _next(socket)
        assert (refused["type"], refused["id"], refused["payload"]["errors"][0]["errorType"]) == (
            "error",
            "early",
            "UnsupportedOperation",
        )
        await _init(socket)
        await socket.send(_start(local_stack, "early", ON_COMMENT, {"id": event_id}))
        assert await _next_not_ka(socket) == {"type": "start_ack", "id": "early"}


async def test_a_connection_that_never_sends_connection_init_is_closed(local_stack: RunningStack) -> None:
    async with _connected(local_stack) as socket:
        message = await asyncio.wait_for(socket.recv(), INIT_TIMEOUT_SECONDS + RECEIVE_TIMEOUT)
        assert json.loads(message)["type"] == "connection_error"
        assert json.loads(message)["payload"]["errors"][0]["errorType"] == "ConnectionTimeoutError"
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(socket.recv(), RECEIVE_TIMEOUT)


async def test_subscriptions_per_connection_are_bounded(
    local_stack: RunningStack, shared_event: str, open_subscriptions: OpenSubscriptions
) -> None:
    event_id = shared_event
    async with _connected(local_stack) as socket:
        await _init(socket)
        for n in range(MAX_SUBSCRIPTIONS):
            await socket.send(_start(local_stack, f"s{n}", ON_COMMENT, {"id": event_id}))
            assert await _next_not_ka(socket) == {"type": "start_ack", "id": f"s{n}"}
        await socket.send(_start(local_stack, "one-too-many", ON_COMMENT, {"id": event_id}))
        refused = await _next_not_ka(socket)
        assert refused["id"] == "one-too-many"
        assert refused["payload"]["errors"] == [
            {
                "errorType": "MaxSubscriptionsReachedError",
                "message": f"Max number of {MAX_SUBSCRIPTIONS} subscriptions reached",
            }
        ]
        assert open_subscriptions.count() == MAX_SUBSCRIPTIONS
    assert await asyncio.to_thread(open_subscriptions.wait_for, 0, RECEIVE_TIMEOUT)


class _NonReadingClient:
    """A client that subscribes and then never reads again: a bare socket with a tiny receive buffer,
    speaking WebSocket through the websockets library's sans-I/O protocol (no task reads for it)."""

    def __init__(self, stack: RunningStack, event_id: str, subscriptions: int) -> None:
        auth = {"host": _host(stack), "x-api-key": stack.api_key}
        protocol = ClientProtocol(
            parse_uri(_realtime_url(stack) + f"?header={_b64(auth)}&payload=e30="),
            subprotocols=[Subprotocol("graphql-ws")],
        )
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.socket.settimeout(RECEIVE_TIMEOUT)
        host, port = _host(stack).split(":")
        self.socket.connect((host, int(port)))
        protocol.send_request(protocol.connect())
        self.socket.sendall(b"".join(protocol.data_to_send()))
        while protocol.handshake_exc is None and not protocol.events_received() and protocol.state is State.CONNECTING:
            protocol.receive_data(self.socket.recv(4096))
        assert protocol.state is State.OPEN, protocol.handshake_exc
        protocol.send_text(json.dumps({"type": "connection_init"}).encode())
        for n in range(subscriptions):
            protocol.send_text(_start(stack, f"s{n}", ON_COMMENT, {"id": event_id}).encode())
        self.socket.sendall(b"".join(protocol.data_to_send()))

    def close(self) -> None:
        self.socket.close()


async def test_clients_that_never_read_are_dropped_and_readers_get_everything(
    local_stack: RunningStack, writer: str, open_subscriptions: OpenSubscriptions
) -> None:
    """Each comment owes every stalled subscription a message; once a client owes more than its outbox
    holds it is disconnected and its subscriptions go, so what the server holds for it stays bounded."""
    event_id = await asyncio.to_thread(_create_event, local_stack, writer)
    stalled = [_NonReadingClient(local_stack, event_id, MAX_SUBSCRIPTIONS) for _ in range(2)]
    async with _connected(local_stack) as reader:
        await _init(reader)
        await reader.send(_start(local_stack, "reader", ON_COMMENT, {"id": event_id}))
        assert await _next_not_ka(reader) == {"type": "start_ack", "id": "reader"}
        assert await asyncio.to_thread(open_subscriptions.wait_for, 2 * MAX_SUBSCRIPTIONS + 1, RECEIVE_TIMEOUT)
        posted: list[str] = []
        # Each comment queues MAX_SUBSCRIPTIONS messages per stalled client; the loopback buffers absorb a few
        # hundred kilobytes, the outbox OUTBOX_LIMIT messages. The bound below is far past both.
        for n in range(40):
            posted.append(
                (await asyncio.to_thread(_comment, local_stack, writer, event_id, f"{n} {COMMENT_TEXT}"))["id"]
            )
            received = await _next_not_ka(reader)
            assert received["payload"]["data"]["onCommentAdded"]["id"] == posted[-1]
            if open_subscriptions.count() == 1:
                break
        assert open_subscriptions.count() == 1, "the stalled clients are still subscribed"
        assert len(posted) * MAX_SUBSCRIPTIONS > OUTBOX_LIMIT
    for client in stalled:
        client.close()
    assert await asyncio.to_thread(open_subscriptions.wait_for, 0, RECEIVE_TIMEOUT)
