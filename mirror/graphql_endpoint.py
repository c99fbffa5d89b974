"""POST /graphql as AppSync answers it: API key checked first, errors shaped like AppSync's."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any, cast

from graphql import GraphQLError, GraphQLResolveInfo, OperationType, get_operation_ast
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import Schema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from mirror.appsync_sdl import appsync_schema
from mirror.authorization import NotAuthorized, auth_rules
from mirror.http_errors import UNAUTHORIZED
from mirror.http_errors import request_id as http_request_id
from mirror.lambda_runtime import Invocation, LambdaError, LambdaRuntime
from mirror.limits import AppSyncLimits, LimitReached
from mirror.request_auth import RequestAuthenticator
from mirror.request_log import RequestLog, RequestRecord
from mirror.resolution import Batcher, FairShare, RequestContext, appsync_event
from mirror.sigv4 import SignatureRefused
from mirror.strawberry_schema import AppSyncResolution, build_mirror_schema
from mirror.subscriptions import PubSub, Subscriber, mutation_results
from resolvers.batching import BATCH_MAX_SIZE
from resolvers.function_settings import REQUEST_ID_HEADER

SIGNED_REQUEST_STATE = "signed_request"
"""Where the ASGI scope's state carries the request as it came (``mirror.sigv4.SignedRequest``)."""
DOCUMENT_CACHE_SIZE = 256
"""Distinct documents whose parse and validation are kept: bounded, so unique queries cannot grow memory."""


def appsync_error(error: GraphQLError) -> dict[str, Any]:
    """One entry of ``errors[]`` as AppSync writes it."""
    original = error.original_error
    if isinstance(original, LambdaError | NotAuthorized | LimitReached):
        error_type = original.error_type
    elif original is None or isinstance(original, GraphQLError):
        error_type = "ValidationError"
    else:
        error_type = "InternalFailure"
    return {
        "path": error.path,
        "data": None,
        "errorType": error_type,
        "errorInfo": None,
        "locations": [
            {"line": location.line, "column": location.column, "sourceName": None} for location in error.locations or []
        ],
        "message": error.message,
    }


def _error_type(error: GraphQLError) -> str:
    return str(appsync_error(error)["errorType"])


class _MirrorSchema(Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """The client gets every error; only failures of the mirror itself are worth a stack trace here."""
        unexpected = [
            e
            for e in errors
            if e.original_error
            and not isinstance(e.original_error, LambdaError | GraphQLError | NotAuthorized | LimitReached)
        ]
        super().process_errors(unexpected, execution_context)


class PublishMutationResults(SchemaExtension):
    """After a mutation runs, hands each root field's response to the subscriptions it feeds."""

    def __init__(self, pubsub: PubSub) -> None:
        self.pubsub = pubsub

    def on_execute(self) -> Iterator[None]:
        yield
        context = self.execution_context
        result = context.result
        if context.graphql_document is None or result is None or not isinstance(result.data, dict):
            return
        for field_name, response in mutation_results(context.graphql_document, context.operation_name, result.data):
            self.pubsub.publish(field_name, response)


class SettleWrites(SchemaExtension):
    """After a mutation runs, and before its response or its subscribers say it happened, waits until the
    data store has made its writes durable: a store that answers before it commits (DynamoDB Local does)
    would otherwise lose acknowledged writes in a crash. AppSync's DynamoDB commits before it answers."""

    def __init__(self, settle: Callable[[], None]) -> None:
        self.settle = settle

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        context = self.execution_context
        document = context.graphql_document
        operation = get_operation_ast(document, context.operation_name) if document else None
        if operation is not None and operation.operation is OperationType.MUTATION:
            await asyncio.to_thread(self.settle)


class GraphQLEndpoint(GraphQL[RequestContext, None]):
    def __init__(
        self,
        runtime: LambdaRuntime,
        authenticator: RequestAuthenticator,
        pubsub: PubSub,
        served_fields: Mapping[tuple[str, str], int | None],
        *,
        batch_sizes: dict[tuple[str, str], int] | None = None,
        allowed_origins: Sequence[str] = (),
        fair_share: int = 4,
        on_request: Callable[[RequestRecord], None] | None = None,
        settle_writes: Callable[[], None] | None = None,
    ) -> None:
        """``fair_share``: how many of one request's invocations may wait for the Lambda environments at once
        (their number: enough to keep them all busy, few enough that other requests get their turn);
        ``settle_writes``: see ``SettleWrites``."""
        self.runtime = runtime
        self.fair_share = fair_share
        self.authenticator = authenticator
        self.pubsub = pubsub
        self.batch_sizes = BATCH_MAX_SIZE if batch_sizes is None else batch_sizes
        self.rules = auth_rules(appsync_schema())
        served = set(served_fields)
        # graphql-core wraps each later extension around the earlier ones: the limits run first, then the
        # auth check and the Lambda resolver (listed first, innermost).
        schema = build_mirror_schema(
            appsync_schema(),
            extensions=[
                lambda: AppSyncResolution(served, self._invoke, self._guard),
                lambda: AppSyncLimits(served),
                lambda: PublishMutationResults(pubsub),
                *([lambda: RequestLog(on_request, _error_type)] if on_request else []),
                # Ends its execution first (extensions end in reverse), so the log times it and subscribers
                # hear of a mutation only once it is durable.
                *([lambda: SettleWrites(settle_writes)] if settle_writes else []),
                # A client sends the same few documents again and again: each is parsed and validated once.
                lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
                lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
            ],
            schema_class=_MirrorSchema,
            subscribe=self._subscribe,
        )
        # Strawberry serves the playground's subscriptions (graphql-transport-ws); AppSync's dialect is
        # mirror.realtime's.
        super().__init__(
            schema,
            graphql_ide=None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=allowed_origins,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuses a request without a valid credential before GraphQL sees it, with AppSync's 401; the
        verified caller rides in the ASGI scope's state, where ``get_context`` finds it."""
        state = scope.setdefault("state", {})
        if scope["type"] == "websocket":
            state["auth"] = None  # a browser cannot send headers: credentials come in connection_init
        else:
            request = Request(scope)
            source_ip = request.client.host if request.client else "127.0.0.1"
            try:
                state["auth"] = self.authenticator.authenticate(
                    request.headers, source_ip, state.get(SIGNED_REQUEST_STATE)
                )
            except SignatureRefused as refused:
                await refused.error.response()(scope, receive, send)
                return
            if state["auth"] is None:
                await UNAUTHORIZED.response()(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def on_ws_connect(self, context: RequestContext) -> UnsetType | dict[str, object] | None:
        params = {str(k).lower(): str(v) for k, v in (context.connection_params or {}).items()}
        context.auth = self.authenticator.authenticate(params, "127.0.0.1")
        if context.auth is None:
            raise ConnectionRejectionError
        return cast("UnsetType", UNSET)

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> RequestContext:
        headers = {name.lower(): value for name, value in request.headers.items()}
        request_id = http_request_id(request)
        headers[REQUEST_ID_HEADER] = request_id
        invocations: list[Invocation] = []
        invoker = FairShare(self.runtime, self.fair_share, invocations.append)
        return RequestContext(
            headers=headers,
            domain_name=headers.get("host", ""),
            auth=request.state.auth,
            invoker=invoker,
            batcher=Batcher(invoker, self.batch_sizes),
            request_id=request_id,
            invocations=invocations,
        )

    def _guard(self, type_name: str, field_name: str, context: RequestContext) -> None:
        if context.auth is None:
            raise NotAuthorized(type_name, field_name)
        self.rules.check(type_name, field_name, context.auth.mode, context.auth.groups)

    async def _subscribe(
        self, field_name: str, arguments: dict[str, Any], context: RequestContext
    ) -> AsyncIterator[Any]:
        """The playground's subscriptions: the same fan-out as AppSync's protocol, through Strawberry."""
        self._guard("Subscription", field_name, context)
        results: asyncio.Queue[Any] = asyncio.Queue()
        subscriber = Subscriber(
            field_name=field_name,
            arguments=arguments,
            selection=None,  # Strawberry runs the selection: each field reads the result (no resolver runs)
            deliver=lambda payload: results.put_nowait(payload["data"][field_name]),
        )
        self.pubsub.subscribe(subscriber)
        try:
            while True:
                yield await results.get()
        finally:
            self.pubsub.unsubscribe(subscriber)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            response["errors"] = [appsync_error(error) for error in result.errors]
        return response

    async def _invoke(self, type_name: str, field_name: str, source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        context: RequestContext = info.context
        event = appsync_event(info, source, context)
        key = (type_name, field_name)
        if key in self.batch_sizes:
            return await context.batcher.load(key, event)
        return await context.invoker.invoke(event)
