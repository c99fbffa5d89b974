"""AppSync's real-time WebSocket protocol (subprotocol ``graphql-ws``, AppSync's dialect), locally.

Served at ``/graphql/realtime`` (where AWS's clients look for it on any domain that is not AppSync's
own) and at ``/graphql``, for any origin: the credentials are the gate, as on AppSync. The auth header
object comes in one of the three forms AppSync documents: base64 in the ``header`` query parameter (with
``payload=e30=``), a ``header-<base64url>`` subprotocol, or plain HTTP headers on the upgrade request.
Then: ``connection_init`` → ``connection_ack`` with ``connectionTimeoutMs``, a ``ka`` at once and
periodically; ``start`` (the request JSON-encoded in ``data``, credentials in
``extensions.authorization``) → ``start_ack`` and ``data`` messages, or ``error``; ``stop`` → ``complete``.
A connection that cannot authenticate gets ``connection_error``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    get_argument_values,
    get_variable_values,
    parse,
    validate,
)
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from mirror.authorization import AuthRules
from mirror.http_errors import UNAUTHORIZED as UNAUTHORIZED_ERROR
from mirror.limits import LimitReached, check_depth, selection_depth
from mirror.request_auth import AUTHORIZATION_HEADER, RequestAuthenticator
from mirror.subscription_delivery import SubscriberSelection
from mirror.subscriptions import PubSub, Subscriber
from resolvers.api_settings import API_KEY_HEADER

SUBPROTOCOL = "graphql-ws"
HEADER_SUBPROTOCOL_PREFIX = "header-"
CONNECTION_TIMEOUT_MS = 300_000
MAX_SUBSCRIPTIONS = 100
"""Per connection, as on AppSync ("Max number of 100 subscriptions reached", MaxSubscriptionsReachedError)."""
OUTBOX_LIMIT = 4 * MAX_SUBSCRIPTIONS
"""Messages a connection may owe its client (room for a full set of acks, and for every subscription to lag a few
events); one that falls further behind is dropped, as AppSync drops slow clients."""
INIT_TIMEOUT_SECONDS = 10.0
"""How long a new connection may stay silent before ``connection_init``."""
SLOW_CLIENT_CLOSE_CODE = 1008
CLOSE_TIMEOUT_SECONDS = 5.0
UNAUTHORIZED = UNAUTHORIZED_ERROR.entry()


def _decode(text: str) -> dict[str, Any]:
    # Clients often send standard base64 unescaped in the query string, where "+" arrives as a space.
    text = text.strip().replace(" ", "+")
    padded = text + "=" * (-len(text) % 4)
    decoded = json.loads(base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_")))
    if not isinstance(decoded, dict):
        raise ValueError("the header object must be a JSON object")
    return decoded


def connection_headers(websocket: WebSocket) -> dict[str, Any] | None:
    """The auth header object: the ``header`` query parameter, else a ``header-`` subprotocol, else the
    upgrade request's own ``host`` with its ``x-api-key`` or ``authorization`` header."""
    try:
        if "header" in websocket.query_params:
            return _decode(websocket.query_params["header"])
        for protocol in websocket.scope.get("subprotocols", []):
            if protocol.startswith(HEADER_SUBPROTOCOL_PREFIX):
                return _decode(protocol.removeprefix(HEADER_SUBPROTOCOL_PREFIX))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    upgrade = websocket.headers
    if API_KEY_HEADER in upgrade or AUTHORIZATION_HEADER in upgrade:
        return {name: upgrade[name] for name in ("host", API_KEY_HEADER, AUTHORIZATION_HEADER) if name in upgrade}
    return None


def _lowered(headers: Mapping[str, Any]) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()}


@dataclass
class Connection:
    """One client's socket, its subscriptions, and the bounded queue of messages it has yet to be sent."""

    websocket: WebSocket
    subscribers: dict[str, Subscriber] = field(default_factory=dict)
    outbox: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(OUTBOX_LIMIT))
    acknowledged: bool = False
    too_slow: asyncio.Event = field(default_factory=asyncio.Event)

    def send(self, message: dict[str, Any]) -> None:
        """Queues ``message``; a client whose queue is full is marked too slow (and then disconnected)."""
        if self.too_slow.is_set():
            return
        try:
            self.outbox.put_nowait(message)
        except asyncio.QueueFull:
            self.too_slow.set()


class _ConnectionTimeout(Exception):
    pass


class RealtimeEndpoint:
    def __init__(
        self,
        schema: GraphQLSchema,
        authenticator: RequestAuthenticator,
        rules: AuthRules,
        pubsub: PubSub,
        *,
        keep_alive_seconds: float = 60.0,
        init_timeout_seconds: float = INIT_TIMEOUT_SECONDS,
    ) -> None:
        self.schema = schema
        self.authenticator = authenticator
        self.rules = rules
        self.pubsub = pubsub
        self.keep_alive_seconds = keep_alive_seconds
        self.init_timeout_seconds = init_timeout_seconds

    def _authenticate(self, headers: Mapping[str, Any] | None, source_ip: str) -> Any:
        if not headers or not headers.get("host"):
            return None
        return self.authenticator.authenticate(_lowered(headers), source_ip)

    async def __call__(self, websocket: WebSocket) -> None:
        if SUBPROTOCOL not in websocket.scope.get("subprotocols", []):
            await websocket.close(code=1002)
            return
        await websocket.accept(subprotocol=SUBPROTOCOL)
        source_ip = websocket.client.host if websocket.client else "127.0.0.1"
        if self._authenticate(connection_headers(websocket), source_ip) is None:
            await websocket.send_json(
                {"type": "connection_error", "payload": {"errors": [{**UNAUTHORIZED, "errorCode": 401}]}}
            )
            await websocket.close(code=1000)
            return
        connection = Connection(websocket)
        tasks = {
            asyncio.create_task(self._send_loop(connection)),
            asyncio.create_task(self._receive_loop(connection, source_ip)),
            asyncio.create_task(connection.too_slow.wait()),
        }
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for subscriber in connection.subscribers.values():
                self.pubsub.unsubscribe(subscriber)
            connection.subscribers.clear()
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError, OSError):
                    await task
            await _close(websocket, SLOW_CLIENT_CLOSE_CODE if connection.too_slow.is_set() else 1000)

    async def _send_loop(self, connection: Connection) -> None:
        while True:
            await connection.websocket.send_json(await connection.outbox.get())

    async def _keep_alive(self, connection: Connection) -> None:
        while True:
            connection.send({"type": "ka"})
            await asyncio.sleep(self.keep_alive_seconds)

    async def _receive(self, connection: Connection, deadline: float) -> str | None:
        """The next text frame (None for a binary one); before the ack, only until ``deadline``."""
        receiving = connection.websocket.receive()
        if connection.acknowledged:
            message = await receiving
        else:
            remaining = deadline - asyncio.get_running_loop().time()
            try:
                message = await asyncio.wait_for(receiving, max(remaining, 0))
            except TimeoutError:
                raise _ConnectionTimeout from None
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        text: str | None = message.get("text")
        return text

    async def _receive_loop(self, connection: Connection, source_ip: str) -> None:
        keep_alive: asyncio.Task[None] | None = None
        deadline = asyncio.get_running_loop().time() + self.init_timeout_seconds
        try:
            while True:
                try:
                    text = await self._receive(connection, deadline)
                except _ConnectionTimeout:
                    await connection.websocket.send_json(
                        _connection_error("ConnectionTimeoutError", "connection_init was not received in time")
                    )
                    return
                message = _parsed(text)
                if message is None:
                    connection.send(_error(None, "MalformedMessage", "Messages must be JSON objects with a type"))
                    continue
                kind = message["type"]
                if kind == "connection_init":
                    connection.acknowledged = True
                    connection.send(
                        {"type": "connection_ack", "payload": {"connectionTimeoutMs": CONNECTION_TIMEOUT_MS}}
                    )
                    if keep_alive is None:
                        keep_alive = asyncio.create_task(self._keep_alive(connection))
                elif not connection.acknowledged:
                    connection.send(
                        _error(
                            message.get("id"),
                            "UnsupportedOperation",
                            f"{kind} before connection_ack; send connection_init first",
                        )
                    )
                elif kind == "start":
                    self._start(connection, message, source_ip)
                elif kind == "stop":
                    subscription_id = str(message.get("id"))
                    subscriber = connection.subscribers.pop(subscription_id, None)
                    if subscriber is not None:
                        self.pubsub.unsubscribe(subscriber)
                    connection.send({"type": "complete", "id": subscription_id})
                else:
                    connection.send(
                        _error(
                            message.get("id"),
                            "UnsupportedOperation",
                            f"{kind} not supported through the realtime channel",
                        )
                    )
        finally:
            if keep_alive is not None:
                keep_alive.cancel()

    def _start(self, connection: Connection, message: dict[str, Any], source_ip: str) -> None:
        subscription_id = message.get("id")
        refusal = _start_refusal(connection, subscription_id, message.get("payload"))
        if refusal is not None:
            connection.send(refusal)
            return
        payload: dict[str, Any] = message["payload"]
        authorization = (payload.get("extensions") or {}).get("authorization")
        auth = self._authenticate(authorization if isinstance(authorization, dict) else None, source_ip)
        if auth is None:
            connection.send({"id": subscription_id, "type": "error", "payload": {"errors": [UNAUTHORIZED]}})
            return
        request = _request(payload.get("data"))
        if request is None:
            connection.send(_error(subscription_id, "MalformedMessage", "data must be a JSON-encoded request"))
            return
        try:
            subscriber = self._subscriber(request, connection, str(subscription_id), auth)
        except _Refused as refused:
            connection.send(_error(subscription_id, refused.error_type, refused.message))
            return
        connection.subscribers[str(subscription_id)] = subscriber
        self.pubsub.subscribe(subscriber)
        connection.send({"type": "start_ack", "id": subscription_id})

    def _subscriber(
        self, request: dict[str, Any], connection: Connection, subscription_id: str, auth: Any
    ) -> Subscriber:
        """Validates the request as AppSync does and builds the subscriber that will receive its data."""
        try:
            document = parse(request["query"])
        except GraphQLError as error:
            raise _Refused("ValidationError", error.message) from None
        errors = validate(self.schema, document)
        if errors:
            raise _Refused("ValidationError", errors[0].message)
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        operation_name = request.get("operationName")
        chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
        if len(chosen) != 1 or chosen[0].operation != OperationType.SUBSCRIPTION:
            raise _Refused("UnsupportedOperation", "Send exactly one subscription operation")
        operation = chosen[0]
        roots = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
        if len(roots) != 1:
            raise _Refused("UnsupportedOperation", "A subscription selects exactly one field")
        node = roots[0]
        field_name = node.name.value
        subscription_type = self.schema.subscription_type
        assert subscription_type is not None
        if not self.rules.rule("Subscription", field_name).allows(auth.mode, auth.groups):
            raise _Refused("Unauthorized", f"Not Authorized to access {field_name} on type Subscription")
        variables = get_variable_values(
            self.schema, operation.variable_definitions or (), request.get("variables") or {}
        )
        if isinstance(variables, list):
            raise _Refused("ValidationError", variables[0].message)
        field = subscription_type.fields[field_name]
        arguments = get_argument_values(field, node, variables)
        fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        try:
            check_depth(1 + selection_depth(node.selection_set, fragments))
        except LimitReached as refused:
            raise _Refused(refused.error_type, refused.message) from None

        def deliver(payload: dict[str, Any]) -> None:
            connection.send({"id": subscription_id, "type": "data", "payload": payload})

        return Subscriber(
            field_name=field_name,
            arguments=arguments,
            selection=SubscriberSelection(self.schema, field, node, fragments, variables),
            deliver=deliver,
        )


class _Refused(Exception):
    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def _error(subscription_id: Any, error_type: str, message: str) -> dict[str, Any]:
    error: dict[str, Any] = {"type": "error", "payload": {"errors": [{"errorType": error_type, "message": message}]}}
    if subscription_id is not None:
        error["id"] = subscription_id
    return error


def _connection_error(error_type: str, message: str) -> dict[str, Any]:
    return {"type": "connection_error", "payload": {"errors": [{"errorType": error_type, "message": message}]}}


def _parsed(text: str | None) -> dict[str, Any] | None:
    """A client message: a JSON object with a string ``type``; None for anything else (binary frames included)."""
    if text is None:
        return None
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return None
    return message


def _request(data: Any) -> dict[str, Any] | None:
    """The GraphQL request a ``start`` carries JSON-encoded in ``data``; None if it is not one."""
    if not isinstance(data, str):
        return None
    try:
        request = json.loads(data)
    except (ValueError, RecursionError):
        return None
    if not isinstance(request, dict) or not isinstance(request.get("query"), str):
        return None
    if not isinstance(request.get("variables"), dict | None) or not isinstance(
        request.get("operationName"), str | None
    ):
        return None
    return request


async def _close(websocket: WebSocket, code: int) -> None:
    """Closes the socket unless the client did; a client that stopped reading cannot stall this."""
    if websocket.client_state != WebSocketState.CONNECTED or websocket.application_state != WebSocketState.CONNECTED:
        return
    with contextlib.suppress(RuntimeError, OSError, TimeoutError, WebSocketDisconnect):
        await asyncio.wait_for(websocket.close(code=code), CLOSE_TIMEOUT_SECONDS)


def _start_refusal(connection: Connection, subscription_id: Any, payload: Any) -> dict[str, Any] | None:
    """The error for a ``start`` that cannot be taken as sent, or None."""
    if not isinstance(subscription_id, str) or not subscription_id:
        return _error(None, "MalformedMessage", "start needs an id")
    if subscription_id in connection.subscribers:
        return _error(subscription_id, "DuplicatedOperationError", f"Duplicated operation with id {subscription_id}")
    if len(connection.subscribers) >= MAX_SUBSCRIPTIONS:
        return _error(
            subscription_id, "MaxSubscriptionsReachedError", f"Max number of {MAX_SUBSCRIPTIONS} subscriptions reached"
        )
    if not isinstance(payload, dict) or not isinstance(payload.get("extensions"), dict | None):
        return _error(subscription_id, "MalformedMessage", "payload and its extensions must be objects")
    return None
