"""POST /graphql as AppSync answers it: API key checked first, errors shaped like AppSync's."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import QueryDepthLimiter
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import Schema
from strawberry.types import ExecutionContext, ExecutionResult

from mirror.appsync_sdl import appsync_schema
from mirror.authorization import NotAuthorized, auth_rules
from mirror.lambda_runtime import LambdaError, LambdaRuntime
from mirror.request_auth import RequestAuthenticator
from mirror.resolution import Batcher, RequestContext, appsync_event
from mirror.strawberry_schema import build_mirror_schema
from resolvers.api_settings import QUERY_DEPTH_LIMIT
from resolvers.batching import BATCH_MAX_SIZE

UNAUTHORIZED_BODY = {
    "errors": [{"errorType": "UnauthorizedException", "message": "You are not authorized to make this call."}]
}


def appsync_error(error: GraphQLError) -> dict[str, Any]:
    """One entry of ``errors[]`` as AppSync writes it."""
    original = error.original_error
    if isinstance(original, LambdaError | NotAuthorized):
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


class _MirrorSchema(Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """The client gets every error; only failures of the mirror itself are worth a stack trace here."""
        unexpected = [
            e
            for e in errors
            if e.original_error and not isinstance(e.original_error, LambdaError | GraphQLError | NotAuthorized)
        ]
        super().process_errors(unexpected, execution_context)


class GraphQLEndpoint(GraphQL[RequestContext, None]):
    def __init__(
        self,
        runtime: LambdaRuntime,
        authenticator: RequestAuthenticator,
        batch_sizes: dict[tuple[str, str], int] | None = None,
    ) -> None:
        self.runtime = runtime
        self.authenticator = authenticator
        self.batch_sizes = BATCH_MAX_SIZE if batch_sizes is None else batch_sizes
        self.rules = auth_rules(appsync_schema())
        served = set(_served_fields())
        schema = build_mirror_schema(
            appsync_schema(),
            served,
            self._invoke,
            extensions=[lambda: QueryDepthLimiter(max_depth=QUERY_DEPTH_LIMIT)],
            schema_class=_MirrorSchema,
            guard=self._guard,
        )
        super().__init__(schema, graphql_ide=None, allow_queries_via_get=False)

    async def run(self, request: Request | WebSocket, *args: Any, **kwargs: Any) -> Response:  # type: ignore[override]
        """Refuses a request without a valid credential before GraphQL sees it, with AppSync's 401."""
        source_ip = request.client.host if request.client else "127.0.0.1"
        auth = self.authenticator.authenticate(request.headers, source_ip)
        if auth is None:
            return JSONResponse(UNAUTHORIZED_BODY, status_code=401)
        request.state.auth = auth
        return await super().run(request, *args, **kwargs)  # type: ignore[return-value]

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> RequestContext:
        headers = {name.lower(): value for name, value in request.headers.items()}
        return RequestContext(
            headers=headers,
            domain_name=headers.get("host", ""),
            auth=request.state.auth,
            batcher=Batcher(self.runtime, self.batch_sizes),
        )

    def _guard(self, type_name: str, field_name: str, info: GraphQLResolveInfo[Any]) -> None:
        context: RequestContext = info.context
        self.rules.check(type_name, field_name, context.auth.mode, context.auth.groups)

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
        return await self.runtime.invoke(event)


def _served_fields() -> dict[tuple[str, str], int | None]:
    from resolvers.registry import served_fields

    return served_fields()
