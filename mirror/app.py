"""The mirror's web app: the GraphQL API, the offline playground, the SPA and its config.json."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema, build_ast_schema, parse
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from mirror.appsync_sdl import APPSYNC_PRELUDE, SCHEMA_PATH, appsync_schema, schema_text
from mirror.authorization import auth_rules
from mirror.cognito_tokens import CognitoSettings, CognitoVerifier
from mirror.cors import AppSyncCors
from mirror.graphql_endpoint import SIGNED_REQUEST_STATE, GraphQLEndpoint
from mirror.http_errors import WithRequestIds
from mirror.http_requests import MalformedRequest, as_json_request, read_graphql_request, replay
from mirror.lambda_runtime import FunctionConfig, LambdaRuntime, RuntimeNotice, StagedDeployment
from mirror.realtime import SUBPROTOCOL as REALTIME_SUBPROTOCOL
from mirror.realtime import RealtimeEndpoint
from mirror.request_auth import IamSettings, RequestAuthenticator
from mirror.request_log import RequestRecord
from mirror.sigv4 import SignedRequest
from mirror.subscriptions import PubSub

REALTIME_PATH = "/graphql/realtime"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLAYGROUND_DIR = Path(__file__).resolve().parent / "playground"
SPA_DIR = PROJECT_ROOT / "single_page_app"
CLOUDFRONT_MIN_COMPRESSED = 1000
"""CloudFront compresses files of 1,000 bytes to 10 MB when the browser accepts it; smaller ones go as they are."""


PLAYGROUND_ASSETS = {
    "graphiql.min.js": ("graphiql", "graphiql.min.js"),
    "graphiql.min.css": ("graphiql", "graphiql.min.css"),
    "react.production.min.js": ("react", "umd/react.production.min.js"),
    "react-dom.production.min.js": ("react-dom", "umd/react-dom.production.min.js"),
}


BeforeServing = Callable[[Any, Mapping[tuple[str, str], int | None], GraphQLSchema], list[str]]
"""(what the code described, the fields it serves, the schema) -> what changed; raises to refuse."""


@dataclass
class MirrorConfig:
    api_key: str
    lambda_environment: dict[str, str]
    """What the resolver Lambda's environment holds on AWS: table name, token secret, endpoints."""
    client_config: Callable[[], Mapping[str, Any]]
    """Served as /config.json to the SPA and the playground (read on each request: it follows a save)."""
    node_modules: Path
    """Where the playground's npm packages (GraphiQL, React) are installed."""
    spa_dir: Path = SPA_DIR
    workers: int = 4
    inline: bool = False
    batch_sizes: dict[tuple[str, str], int] | None = None
    """None: BatchInvoke as CDK configures it. Benchmarks pass size 1 to see what per-field calls cost."""
    cognito: CognitoSettings | None = None
    """The user pool whose tokens sign users in; None accepts no tokens."""
    allowed_origins: tuple[str, ...] = ()
    """Browser origins whose pages may open the playground's ``graphql-transport-ws`` socket (its own).
    AppSync's protocol and the HTTP API take any origin, as AppSync does."""
    keep_alive_seconds: float = 60.0
    """How often the real-time endpoint sends ``ka`` on an open connection."""
    function: FunctionConfig | None = None
    """The Lambda's handler, timeout and memory; None: as CDK deploys it."""
    on_request: Callable[[RequestRecord], None] | None = None
    """Told about every GraphQL request when it ends (the `gather dev` console)."""
    on_notice: Callable[[RuntimeNotice], None] | None = None
    """Told when a Lambda environment is replaced or cannot start (the console), from the first one on."""
    content_security_policy: Callable[[], str | None] = lambda: None
    """Sent with the SPA's files, as CloudFront sends it (read on each request)."""
    before_serving: BeforeServing | None = None
    """Runs before a deployment or a schema serves, the first one included: raising refuses it (the last good
    one keeps serving); what it returns says what changed (``gather dev``: the field check, the table, config)."""
    settle_writes: Callable[[], None] | None = None
    """Returns once the data store's acknowledged writes are durable; run after each mutation (DynamoDB Local
    commits a moment after it answers)."""
    iam: IamSettings | None = None
    """Whose SigV4 signatures IAM requests may carry (the local stream consumer's); None accepts none."""


class _GraphQLRoute:
    """GET shows the playground; a WebSocket speaking ``graphql-ws`` is AppSync's real-time protocol (the
    playground's ``graphql-transport-ws`` goes to Strawberry); everything else is the API."""

    def __init__(self, endpoint: GraphQLEndpoint, realtime: RealtimeEndpoint) -> None:
        self.endpoint = endpoint
        self.realtime = realtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            await FileResponse(PLAYGROUND_DIR / "index.html")(scope, receive, send)
        elif scope["type"] == "http":
            try:
                body = await read_graphql_request(scope, receive)
            except MalformedRequest as refused:
                await refused.response()(scope, receive, send)
                return
            # The request as it came (headers before as_json_request, the body): what a SigV4 signature covers.
            scope.setdefault("state", {})[SIGNED_REQUEST_STATE] = _signed_request(scope, body)
            await self.endpoint(as_json_request(scope), replay(body, receive), send)
        elif scope["type"] == "websocket" and REALTIME_SUBPROTOCOL in scope.get("subprotocols", []):
            await self.realtime(WebSocket(scope, receive, send))
        else:
            await self.endpoint(scope, receive, send)


def _signed_request(scope: Scope, body: bytes) -> SignedRequest:
    headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
    path = scope.get("raw_path", scope["path"].encode()).decode("latin-1")
    return SignedRequest(scope["method"], path, scope.get("query_string", b"").decode("latin-1"), headers, body)


class _RealtimeRoute:
    """``/graphql/realtime``: AppSync's real-time protocol, where clients look for it on a custom domain."""

    def __init__(self, realtime: RealtimeEndpoint) -> None:
        self.realtime = realtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.realtime(WebSocket(scope, receive, send))


class _WithPolicy:
    """Adds the Content-Security-Policy to every response, as CloudFront's response headers policy does."""

    def __init__(self, app: ASGIApp, policy: Callable[[], str | None]) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = self.policy()
        if scope["type"] != "http" or policy is None:
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["content-security-policy"] = policy
            await send(message)

        await self.app(scope, receive, send_with_policy)


class _SinglePageApp(StaticFiles):
    """The SPA's files; paths without a file behind them get index.html, as CloudFront's fallback does."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code != 404:
                raise
            return await super().get_response("index.html", scope)


def create_app(
    config: MirrorConfig, runtime: LambdaRuntime, pubsub: PubSub, served_fields: Mapping[tuple[str, str], int | None]
) -> Starlette:
    """The whole mirror on the current schema and deployment; ``runtime`` and ``pubsub`` outlive both."""
    verifier = CognitoVerifier(config.cognito) if config.cognito else None
    authenticator = RequestAuthenticator(config.api_key, verifier, iam=config.iam)
    endpoint = GraphQLEndpoint(
        runtime,
        authenticator,
        pubsub,
        served_fields,
        batch_sizes=config.batch_sizes,
        allowed_origins=config.allowed_origins,
        fair_share=1 if config.inline else config.workers,
        on_request=config.on_request,
        settle_writes=config.settle_writes,
    )
    realtime = RealtimeEndpoint(
        appsync_schema(),
        authenticator,
        auth_rules(appsync_schema()),
        pubsub,
        keep_alive_seconds=config.keep_alive_seconds,
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            yield
        finally:
            runtime.close()

    async def client_config(_: Request) -> Response:
        return JSONResponse(config.client_config(), headers={"cache-control": "no-store"})

    async def playground_asset(request: Request) -> Response:
        package, relative = PLAYGROUND_ASSETS.get(request.path_params["name"], ("", ""))
        if not package:
            return Response(status_code=404)
        return FileResponse(config.node_modules / package / relative)

    graphql = WithRequestIds(AppSyncCors(_GraphQLRoute(endpoint, realtime)))
    routes: list[Any] = [
        Route("/graphql", graphql, methods=["GET", "POST", "OPTIONS"]),
        WebSocketRoute("/graphql", graphql),
        WebSocketRoute(REALTIME_PATH, _RealtimeRoute(realtime)),
        Route("/config.json", client_config),
        Route("/playground/assets/{name}", playground_asset),
        Mount("/playground", StaticFiles(directory=PLAYGROUND_DIR)),
    ]
    if config.spa_dir.is_dir():
        # Compressed as CloudFront compresses them (cdk_app/spa_hosting.py: compress=True), from 1,000 bytes up.
        files = _SinglePageApp(directory=config.spa_dir, html=True)
        compressed = GZipMiddleware(files, minimum_size=CLOUDFRONT_MIN_COMPRESSED)
        routes.append(Mount("/", _WithPolicy(compressed, config.content_security_policy)))
    return Starlette(routes=routes, lifespan=lifespan)


class ReloadableApp:
    """The mirror as the server runs it: a schema edit, or resolver code that serves other fields, swaps in a
    newly built app. The Lambda environments and the open subscriptions stay, so a mutation on the new app
    still reaches a client subscribed before it.

    Saved code and the saved schema are checked together (``MirrorConfig.before_serving``) before either serves:
    a schema that does not build, or code and schema that disagree, leave the running app and deployment as they
    were, and a later save that makes them agree serves both. Requests already in the old app finish there.
    Lifespan events always go to the first app, whose shutdown closes the (shared) Lambda runtime.
    """

    def __init__(self, config: MirrorConfig) -> None:
        self.config = config
        self.runtime = LambdaRuntime(
            config.lambda_environment, workers=config.workers, inline=config.inline, function=config.function
        )
        if config.on_notice:
            self.runtime.listeners.append(config.on_notice)
        try:
            self.runtime.warm_up()  # the environments say what the code serves
            self.served_fields = self.runtime.served_fields()
            self.schema_text = schema_text()
            self.changes = self._before_serving(self.runtime.description(), self.served_fields, appsync_schema())
        except BaseException:
            self.runtime.close()
            raise
        self.pubsub = PubSub(appsync_schema())
        self.current = create_app(config, self.runtime, self.pubsub, self.served_fields)
        self._lifespan_app = self.current

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        app = self._lifespan_app if scope["type"] == "lifespan" else self.current
        await app(scope, receive, send)

    def reload_schema(self) -> list[str]:
        """Serves the saved schema if it builds and agrees with the serving code; raises (and keeps serving the
        old) if not. Returns what changed."""
        return self._switch(None)

    def redeploy(self) -> list[str]:
        """New resolver code, deployed as CDK would if it agrees with the saved schema: later invocations run it,
        and a field it starts (or stops) serving gets (or loses) its resolver. Raises, leaving the serving
        deployment, if the code and the schema disagree. Returns what changed."""
        staged = self.runtime.stage()
        try:
            return self._switch(staged)
        except BaseException:
            self.runtime.discard(staged)
            raise

    def _switch(self, staged: StagedDeployment | None) -> list[str]:
        text = schema_text(SCHEMA_PATH)
        schema = build_ast_schema(parse(APPSYNC_PRELUDE + text))
        served = self.served_fields
        description = self.runtime.description()
        if staged is not None:
            if staged.describe_error is not None:
                raise DeploymentRefused(staged.describe_error)
            served = staged.served_fields if staged.served_fields is not None else served
            description = staged.description
        changes = self._before_serving(description, served, schema)
        if staged is not None:
            self.runtime.deploy(staged)
        if text != self.schema_text or served != self.served_fields:
            appsync_schema.cache_clear()
            self.current = create_app(self.config, self.runtime, self.pubsub, served)
            self.pubsub.follow(appsync_schema())
            self.served_fields, self.schema_text = served, text
        return changes

    def _before_serving(
        self, description: Any, served: Mapping[tuple[str, str], int | None], schema: GraphQLSchema
    ) -> list[str]:
        hook = self.config.before_serving
        return hook(description, served, schema) if hook is not None else []


class DeploymentRefused(Exception):
    """Saved code that ``gather dev`` will not serve; the message says why."""
