"""Everything `gather dev` runs, as one object the CLI, the tests and the benchmarks share."""

from __future__ import annotations

import json
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import uvicorn
from graphql import GraphQLSchema

from local_stack.cognito.pool import LocalCognito, demo_passwords
from local_stack.demo_data import has_events, seed_demo_data
from local_stack.derived import DESCRIBE, ClientEndpoints, Derived, Endpoints, differences, schema_fields
from local_stack.dynamodb_local import DynamoDBLocal
from local_stack.host_name_migration import name_event_hosts
from local_stack.item_migration import split_event_counts
from local_stack.local_aws import FAKE_CREDENTIALS, LOCAL_REGION, node_modules
from local_stack.local_tls import TlsFiles, local_tls
from local_stack.reloader import Reload, Reloader
from local_stack.stream_consumer import LocalStreamConsumer, consumer_environment, consumer_principal
from local_stack.supervision import Part, Supervisor
from local_stack.table_migration import migrate_indexes
from local_stack.tables import ensure_table
from local_stack.tls_front import TlsFront
from mirror.app import PROJECT_ROOT, REALTIME_PATH, MirrorConfig, ReloadableApp
from mirror.appsync_sdl import SCHEMA_PATH
from mirror.event_source_mapping import StreamBatch
from mirror.field_accounting import check_fields
from mirror.http_requests import REQUEST_SIZE_LIMIT
from mirror.lambda_runtime import FunctionConfig, RuntimeNotice
from mirror.request_auth import IamSettings
from mirror.request_log import RequestRecord
from resolvers import settings
from resolvers.identity import Caller
from resolvers.store import GatherStore
from spa_contract.config_json import ClientConfig, client_config


@dataclass
class StackOptions:
    host: str = "127.0.0.1"
    port: int = 4000
    data_dir: Path | None = Path(".gather")
    """None keeps DynamoDB Local in memory and nothing on disk (tests)."""
    api_key: str | None = None
    dynamodb_endpoint: str | None = None
    table_name: str = "gather"
    seed: bool = True
    workers: int = 4
    inline: bool = False
    batch_sizes: dict[tuple[str, str], int] | None = None
    tls_port: int | None = None
    """Where HTTPS and WSS are served (0: any free port); None serves plain HTTP only."""
    code_dir: Path = PROJECT_ROOT
    """The directory whose ``resolvers`` package the Lambda runs (Lambda's task root)."""
    reload: bool = False
    """Watch ``resolvers/`` and ``schema.graphql``; a save is a new deployment or a new schema."""
    on_request: Callable[[RequestRecord], None] | None = None
    """Told about every GraphQL request when it ends (the console)."""
    on_notice: Callable[[RuntimeNotice], None] | None = None
    """Told when a Lambda environment is replaced or fails to start."""
    on_reload: Callable[[Reload], None] | None = None
    on_stream_batch: Callable[[StreamBatch], None] | None = None
    """Told about every batch the stream consumer was invoked with (the console prints a line per batch)."""
    on_stream_failure: Callable[[dict[str, Any]], None] | None = None
    """Told about every batch sent to the on-failure destination (also appended to its file with a data dir)."""


class PortUnavailable(Exception):
    """The port asked for cannot be listened on (usually: something else already does)."""

    def __init__(self, host: str, port: int, reason: str, flag: str = "--port") -> None:
        super().__init__(f"Cannot listen on {host}:{port}: {reason}")
        self.host = host
        self.port = port
        self.flag = flag
        """The `gather dev` option that chooses this port."""


def _free_socket(host: str, port: int) -> socket.socket:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise PortUnavailable(host, port, error.strerror or str(error)) from error
    return listener


def _persistent_secret(data_dir: Path | None, name: str, make: Callable[[], str]) -> str:
    """A value generated once per data dir (never committed), so keys and tokens survive restarts."""
    if data_dir is None:
        return make()
    path = data_dir / name
    if path.exists():
        return path.read_text().strip()
    value = make()
    path.write_text(value)
    path.chmod(0o600)
    return value


def new_api_key() -> str:
    return "da2-" + secrets.token_hex(13)


class LocalStack:
    """DynamoDB Local (unless an endpoint is given), the table, demo data and the mirror under uvicorn."""

    def __init__(self, options: StackOptions, progress: Callable[[str], None] = lambda _: None) -> None:
        self.options = options
        self.progress = progress
        self.dynamodb: DynamoDBLocal | None = None
        self.cognito = LocalCognito()
        self.server: uvicorn.Server | None = None
        self.reloader: Reloader | None = None
        self.consumer: LocalStreamConsumer | None = None
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self.supervisor: Supervisor | None = None
        self.failure: str | None = None
        """Why the stack ended by itself (a part that could not be restarted); None after a normal stop."""
        self.dynamodb_endpoint = ""
        self.api_key = ""
        self.base_url = ""
        self.tls: TlsFiles | None = None
        self.tls_front: TlsFront | None = None
        self._tls_directory: tempfile.TemporaryDirectory[str] | None = None
        self.https_base_url = ""
        self.served_config: dict[str, Any] = {}
        """The /config.json served now: from the deployed code, so it follows a save."""
        self.served_policy: str | None = None
        """The Content-Security-Policy sent with the SPA now, likewise."""
        self.consumer_principal = consumer_principal()
        """The stream consumer's credentials: its publishes are signed with them, and the mirror accepts them."""
        self._served_description: Derived | None = None
        self._served_api: tuple[dict[tuple[str, str], int | None], GraphQLSchema] | None = None

    @property
    def region(self) -> str:
        """The region the Lambda environments run in, and so the one IAM requests are signed for."""
        return self.lambda_environment["AWS_DEFAULT_REGION"]

    @property
    def graphql_url(self) -> str:
        return f"{self.base_url}/graphql"

    @property
    def https_graphql_url(self) -> str:
        return f"{self.https_base_url}/graphql"

    def _bring_items_up_to_date(self, client: Any) -> None:
        """Items an older release stored, in today's layout (``local_stack/item_migration.py``,
        ``local_stack/host_name_migration.py``)."""
        if moved := split_event_counts(client, self.options.table_name):
            self.progress(f"Moved the counts of {moved} events stored before they had an item of their own")
        if named := name_event_hosts(client, self.options.table_name):
            self.progress(f"Named the host on {named} events stored before events carried their host's name")

    def prepare(self) -> None:
        """Starts the data side and builds the server; ``serve`` or ``start_in_thread`` runs it."""
        options = self.options
        if options.data_dir is not None:
            options.data_dir.mkdir(parents=True, exist_ok=True)
        self._open_ports()  # first: if a port is taken, say so before starting anything
        self.api_key = options.api_key or _persistent_secret(options.data_dir, "api-key", new_api_key)
        token_secret = _persistent_secret(options.data_dir, "token-secret", lambda: secrets.token_hex(32))

        lambda_environment = {
            settings.TABLE_NAME_VARIABLE: options.table_name,
            settings.TOKEN_SECRET_VARIABLE: token_secret,
        }
        if options.dynamodb_endpoint:
            self.dynamodb_endpoint = options.dynamodb_endpoint
            self.progress(f"Using DynamoDB at {self.dynamodb_endpoint}")
        else:
            self.progress("Starting DynamoDB Local…")
            data = None if options.data_dir is None else options.data_dir / "dynamodb"
            self.dynamodb = DynamoDBLocal(data_dir=data)
            self.dynamodb.start()
            self.dynamodb_endpoint = self.dynamodb.endpoint
            lambda_environment.update(FAKE_CREDENTIALS)
            lambda_environment.setdefault("AWS_DEFAULT_REGION", LOCAL_REGION)
        lambda_environment["AWS_ENDPOINT_URL_DYNAMODB"] = self.dynamodb_endpoint
        lambda_environment.setdefault("AWS_DEFAULT_REGION", boto3.session.Session().region_name or LOCAL_REGION)
        self.lambda_environment = lambda_environment

        client = self.dynamodb_client()
        if ensure_table(client, options.table_name):
            self.progress(f"Created table {options.table_name}")
        self._bring_items_up_to_date(client)
        self.progress("Starting the local Cognito user pool…")
        self.cognito.start(port=0, passwords=demo_passwords(options.data_dir), data_dir=options.data_dir)
        store = GatherStore(options.table_name, client)
        now = datetime.now(UTC)
        if options.seed and not has_events(store, now):
            people = {user.username: Caller(user.sub, user.username, user.groups) for user in self.cognito.users}
            self.progress(f"Seeded {seed_demo_data(store, now, people)} demo events")

        self.progress("Starting the mirror (Lambda environments warming up)…")
        self.served_config = dict(self.client_config())
        endpoints: Endpoints = {**self.client_endpoints(), "table_name": options.table_name}
        app = ReloadableApp(
            MirrorConfig(
                api_key=self.api_key,
                lambda_environment=lambda_environment,
                client_config=lambda: self.served_config,
                content_security_policy=lambda: self.served_policy,
                before_serving=self._before_serving,
                workers=options.workers,
                inline=options.inline,
                batch_sizes=options.batch_sizes,
                cognito=self.cognito.settings,
                allowed_origins=(self.base_url,),
                node_modules=node_modules(),
                function=FunctionConfig(
                    code_dir=options.code_dir, describe=DESCRIBE, describe_argument=json.dumps(endpoints)
                ),
                on_request=options.on_request,
                on_notice=options.on_notice,
                # In memory, nothing outlives a crash: no mutation need wait.
                settle_writes=self.dynamodb.settle if self.dynamodb and self.dynamodb.data_dir else None,
                iam=IamSettings(
                    region=self.region, principals={self.consumer_principal.access_key_id: self.consumer_principal}
                ),
            )
        )
        self.app = app
        for change in app.changes:
            self.progress(change)
        self.progress("Starting the stream consumer on the table's stream…")
        self.consumer = LocalStreamConsumer(
            consumer_environment(lambda_environment, self.consumer_principal, self.region, self.graphql_url),
            (client, self.dynamodb_client("dynamodbstreams")),
            options.table_name,
            code_dir=options.code_dir,
            data_dir=options.data_dir,
            on_batch=options.on_stream_batch,
            on_failure=options.on_stream_failure,
            on_notice=options.on_notice,
        )
        self.consumer.start()
        if options.reload:
            code = [options.code_dir / "resolvers", options.code_dir / "spa_contract"]
            self.reloader = Reloader(code, SCHEMA_PATH, self._redeploy, app.reload_schema)
            if options.on_reload:
                self.reloader.listeners.append(options.on_reload)
        self.server = uvicorn.Server(
            uvicorn.Config(
                app,
                log_level="warning",
                lifespan="on",
                timeout_graceful_shutdown=5,
                ws_max_size=REQUEST_SIZE_LIMIT,  # a real-time frame may be as large as a request, no larger
            )
        )

    def _before_serving(
        self, description: Derived | None, served: Mapping[tuple[str, str], int | None], schema: GraphQLSchema
    ) -> list[str]:
        """Before saved code or a saved schema serves (and at start): every field accounted for, then the table
        migrated and config.json and the CSP taken from the code. Returns what changed, for the console."""
        if description is None:
            return []  # code that does not import says nothing; as on Lambda, it deploys and fails each invocation
        check_fields(schema, served, description["fieldSources"])
        starting = self._served_description is None
        changes = [] if starting else self._api_changes(served, schema)
        changes += migrate_indexes(self.dynamodb_client(), description["table"])
        config, policy = description["clientConfig"], description["contentSecurityPolicy"]
        if not starting:
            changes += [f"config.json {line}" for line in differences(self.served_config, config)]
            changes += ["Content-Security-Policy: " + policy] if policy != self.served_policy else []
        self.served_config, self.served_policy = config, policy
        self._served_description, self._served_api = description, (dict(served), schema)
        return changes

    def _api_changes(self, served: Mapping[tuple[str, str], int | None], schema: GraphQLSchema) -> list[str]:
        assert self._served_api is not None
        before_served, before_schema = self._served_api
        changes = [f"resolver added: {t}.{f}" for t, f in sorted(set(served) - set(before_served))]
        changes += [f"resolver removed: {t}.{f}" for t, f in sorted(set(before_served) - set(served))]
        fields_before, fields_after = schema_fields(before_schema), schema_fields(schema)
        changes += [f"schema field added: {name}" for name in sorted(fields_after - fields_before)]
        changes += [f"schema field removed: {name}" for name in sorted(fields_before - fields_after)]
        return changes

    def _redeploy(self) -> list[str]:
        """Saved code is a deployment of both functions; what is reported is the resolvers' (what requests wait
        for), while the consumer's environments start beside them."""
        consumer = self.consumer
        if consumer is not None:
            threading.Thread(target=consumer.redeploy, name="consumer-redeploy", daemon=True).start()
        return self.app.redeploy()

    def _open_ports(self) -> None:
        options = self.options
        self._listener = _free_socket(options.host, options.port)
        port = self._listener.getsockname()[1]
        self.base_url = f"http://{options.host}:{port}"
        if options.tls_port is not None:
            try:
                self._start_tls(options.tls_port, port)
            except OSError as error:
                reason = error.strerror or str(error)
                raise PortUnavailable(options.host, options.tls_port, reason, "--tls-port") from error

    def _start_tls(self, tls_port: int, plain_port: int) -> None:
        options = self.options
        if options.data_dir is not None:
            directory = options.data_dir / "tls"
        else:
            self._tls_directory = tempfile.TemporaryDirectory(prefix="gather-tls-")
            directory = Path(self._tls_directory.name)
        self.tls = local_tls(directory)
        self.tls_front = TlsFront(self.tls, options.host, tls_port, (options.host, plain_port))
        self.tls_front.start()
        self.https_base_url = f"https://{options.host}:{self.tls_front.port}"

    def dynamodb_client(self, service: str = "dynamodb") -> Any:
        """A client on the stack's DynamoDB (or its stream: ``dynamodbstreams``), with the stack's (fake, when
        local) credentials."""
        environment = self.lambda_environment
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.dynamodb_endpoint,
            region_name=environment["AWS_DEFAULT_REGION"],
            aws_access_key_id=environment.get("AWS_ACCESS_KEY_ID"),
            aws_secret_access_key=environment.get("AWS_SECRET_ACCESS_KEY"),
        )

    def client_config(self, *, tls: bool = False) -> ClientConfig:
        """/config.json for this stack's endpoints (``tls``: the HTTPS and WSS ones), as the code read at start
        says; the served one follows saves (``served_config``)."""
        endpoints = self.client_endpoints(tls=tls)
        return client_config(
            graphql_url=endpoints["graphql_url"],
            realtime_url=endpoints["realtime_url"],
            region=endpoints["region"],
            api_key=endpoints["api_key"],
            auth=endpoints["auth"],
        )

    def client_endpoints(self, *, tls: bool = False) -> ClientEndpoints:
        """The deployment's side of config.json: where the API, its real-time endpoint and the user pool are."""
        cognito = self.cognito.settings
        base = self.https_base_url if tls else self.base_url
        return {
            "graphql_url": f"{base}/graphql",
            "realtime_url": base.replace("https://", "wss://", 1).replace("http://", "ws://", 1) + REALTIME_PATH,
            "region": "local",
            "api_key": self.api_key,
            "auth": {
                "userPoolId": cognito.user_pool_id,
                "userPoolClientId": cognito.client_id,
                "cognitoEndpoint": self.cognito.endpoint + "/",
            }
            if cognito
            else None,
        }

    def stack_file(self) -> dict[str, Any]:
        return {
            **self.client_config(),
            "baseUrl": self.base_url,
            "playgroundUrl": self.graphql_url,
            "spaUrl": f"{self.base_url}/",
            "dynamodbEndpoint": self.dynamodb_endpoint,
            "cognitoOutbox": str(self.cognito.outbox_path) if self.cognito.outbox_path else None,
            "tableName": self.options.table_name,
            "streamFailures": str(self.consumer.failures_path)
            if self.consumer and self.consumer.failures_path
            else None,
            "streamConsumer": {
                "accessKeyId": self.consumer_principal.access_key_id,
                "secretAccessKey": self.consumer_principal.secret_access_key,
                "sessionToken": self.consumer_principal.session_token,
                "region": self.region,
            },
            "demoUsers": [
                {"username": user.username, "password": user.password, "groups": list(user.groups)}
                for user in self.cognito.users
            ],
            "tls": {
                **self.client_config(tls=True),
                "baseUrl": self.https_base_url,
                "caCertificate": str(self.tls.ca_certificate.resolve()),
            }
            if self.tls is not None
            else None,
        }

    def write_stack_file(self) -> Path | None:
        if self.options.data_dir is None:
            return None
        path = self.options.data_dir / "stack.json"
        path.write_text(json.dumps(self.stack_file(), indent=2) + "\n")
        path.chmod(0o600)
        return path

    def serve(self) -> None:
        """Runs until Ctrl-C (or a part that cannot be restarted), then stops everything this stack started."""
        if self.server is None or self._listener is None:
            raise RuntimeError("prepare() the stack first")
        self.supervise()
        try:
            if self.reloader:
                self.reloader.start()
            self.server.run(sockets=[self._listener])
        finally:
            self.progress("Stopped the mirror and its Lambda environments")
            self.stop()

    def supervise(self) -> None:
        """Restarts DynamoDB Local (when this stack started it) and the local Cognito if either dies."""
        parts = [Part("The local Cognito", lambda: self.cognito.pid, self._restart_cognito)]
        if self.dynamodb is not None:
            dynamodb = self.dynamodb
            parts.insert(0, Part("DynamoDB Local", lambda: dynamodb.pid, self._restart_dynamodb))
        self.supervisor = Supervisor(parts, self.progress, self._give_up)
        self.supervisor.start()

    def _restart_dynamodb(self) -> str:
        assert self.dynamodb is not None
        self.dynamodb.restart()
        ensure_table(self.dynamodb_client(), self.options.table_name)  # an in-memory DynamoDB comes back empty
        return self.dynamodb.endpoint

    def _restart_cognito(self) -> str:
        self.cognito.restart()
        return self.cognito.endpoint

    def _give_up(self, reason: str) -> None:
        self.failure = reason
        if self.server is not None:
            self.server.should_exit = True

    def start_in_thread(self) -> None:
        if self.server is None or self._listener is None:
            raise RuntimeError("prepare() the stack first")
        if self.reloader:
            self.reloader.start()
        self._thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._listener]}, name="mirror", daemon=True
        )
        self._thread.start()
        while not self.server.started and self._thread.is_alive():
            time.sleep(0.01)  # uvicorn offers no start-up event; poll its flag
        if not self.server.started:
            raise RuntimeError("The mirror failed to start")

    def stop(self) -> None:
        """Stops what runs, saying so part by part; safe to call more than once."""
        if self.supervisor is not None:
            self.supervisor.stop()
            self.supervisor = None
        if self.reloader is not None:
            self.reloader.stop()
            self.reloader = None
        if self.server is not None:
            self.server.should_exit = True
        if self.consumer is not None:
            self.consumer.stop()
            self.consumer = None
        if self._thread is not None:
            self._thread.join(timeout=15)
            self._thread = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self.tls_front is not None:
            self.tls_front.stop()
            self.tls_front = None
        if self._tls_directory is not None:
            self._tls_directory.cleanup()
            self._tls_directory = None
        if self.cognito.pid is not None:
            self.cognito.stop()
            self.progress("Stopped the local Cognito")
        if self.dynamodb is not None:
            self.dynamodb.stop()
            self.dynamodb = None
            self.progress("Stopped DynamoDB Local")


@contextmanager
def running_stack(options: StackOptions) -> Iterator[LocalStack]:
    """A stack serving from a background thread for as long as the block runs (tests, benchmarks)."""
    stack = LocalStack(options)
    try:
        stack.prepare()
        stack.start_in_thread()
        yield stack
    finally:
        stack.stop()
