"""The stream consumer as `gather dev` runs it: its own function (``STREAM_CONSUMER``) in the local Lambda
runtime, fed by the local event source mapping on the table's stream, redeployed with the resolvers on save."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mirror.event_source_mapping import StreamBatch, StreamEventSourceMapping
from mirror.lambda_runtime import FunctionConfig, LambdaRuntime, RuntimeNotice
from mirror.sigv4 import IamPrincipal
from resolvers.function_settings import STREAM_CONSUMER
from resolvers.settings import GRAPHQL_URL_VARIABLE

CONSUMER_NAME = "gather-stream-consumer-local"
FAILURES_FILE = "stream-failures.jsonl"
"""The on-failure destination: one JSON document a line, as Lambda would send each to the SQS queue."""
CHECKPOINTS_FILE = "stream-checkpoints.json"
LOCAL_ACCOUNT = "000000000000"


def consumer_principal() -> IamPrincipal:
    """The consumer's credentials for this run, as Lambda gives a function its role's (temporary: key pair and
    session token), fresh each start: the mirror accepts them on IAM requests, stack.json names them."""
    role_id = "AROA" + secrets.token_hex(8).upper()
    return IamPrincipal(
        access_key_id="ASIA" + secrets.token_hex(8).upper(),
        secret_access_key=secrets.token_urlsafe(30),
        account_id=LOCAL_ACCOUNT,
        user_arn=f"arn:aws:sts::{LOCAL_ACCOUNT}:assumed-role/{CONSUMER_NAME}/{CONSUMER_NAME}",
        username=f"{role_id}:{CONSUMER_NAME}",
        session_token=secrets.token_urlsafe(48),
    )


def consumer_environment(
    environment: Mapping[str, str], principal: IamPrincipal, region: str, graphql_url: str
) -> dict[str, str]:
    """The resolvers' environment with the consumer's own credentials and the API it publishes to."""
    return {
        **environment,
        "AWS_ACCESS_KEY_ID": principal.access_key_id,
        "AWS_SECRET_ACCESS_KEY": principal.secret_access_key,
        "AWS_SESSION_TOKEN": principal.session_token or "",
        "AWS_REGION": region,
        GRAPHQL_URL_VARIABLE: graphql_url,
    }


class LocalStreamConsumer:
    def __init__(
        self,
        environment: Mapping[str, str],
        clients: tuple[Any, Any],
        table_name: str,
        *,
        code_dir: Path,
        data_dir: Path | None,
        on_batch: Callable[[StreamBatch], None] | None = None,
        on_failure: Callable[[dict[str, Any]], None] | None = None,
        on_notice: Callable[[RuntimeNotice], None] | None = None,
    ) -> None:
        """``clients``: boto3's ``dynamodb`` and ``dynamodbstreams`` clients on the stack's DynamoDB."""
        self.failures_path = None if data_dir is None else data_dir / FAILURES_FILE
        self._on_failure = on_failure
        self._lock = threading.Lock()
        self.runtime = LambdaRuntime(
            environment,
            workers=1,  # one invocation at a time per shard, as Lambda's mapping (parallelization factor 1)
            function=FunctionConfig(
                handler=STREAM_CONSUMER.handler,
                name=CONSUMER_NAME,
                timeout_seconds=STREAM_CONSUMER.timeout_seconds,
                memory_mb=STREAM_CONSUMER.memory_mb,
                code_dir=code_dir,
                registry=None,
            ),
        )
        if on_notice is not None:
            self.runtime.listeners.append(on_notice)
        dynamodb, streams = clients
        self.mapping = StreamEventSourceMapping(
            dynamodb,
            streams,
            table_name,
            self.runtime,
            STREAM_CONSUMER,
            on_batch=on_batch,
            on_failure=self._failed,
            checkpoint_file=None if data_dir is None else data_dir / CHECKPOINTS_FILE,
        )

    def start(self) -> None:
        self.runtime.warm_up()
        self.mapping.start()

    def redeploy(self) -> float:
        return self.runtime.redeploy()

    def stop(self) -> None:
        self.mapping.stop()
        self.runtime.close()

    def _failed(self, document: dict[str, Any]) -> None:
        if self.failures_path is not None:
            with self._lock, self.failures_path.open("a") as destination:
                destination.write(json.dumps(document) + "\n")
        if self._on_failure is not None:
            self._on_failure(document)
