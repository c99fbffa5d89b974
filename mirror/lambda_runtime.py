"""Runs the resolver Lambda as Lambda does: JSON in, JSON out, errors reported by type and message.

Each worker process is one warm execution environment with its own module state, so concurrent
requests run side by side exactly as concurrent Lambda invocations do. ``inline`` runs the handler in
this process, one invocation at a time, for benchmarks that count what a request costs.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
import uuid
from collections.abc import Mapping
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

HANDLER_FUNCTION_NAME = "gather-resolvers-local"
TIMEOUT_MS = 30_000


class LambdaError(Exception):
    """The function failed; AppSync shows ``error_type`` and ``message`` to the client."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


@dataclass
class LocalLambdaContext:
    """The attributes of the Lambda context object that powertools and handlers read."""

    aws_request_id: str
    function_name: str = HANDLER_FUNCTION_NAME
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = f"arn:aws:lambda:local:000000000000:function:{HANDLER_FUNCTION_NAME}"
    log_group_name: str = f"/aws/lambda/{HANDLER_FUNCTION_NAME}"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return TIMEOUT_MS


def _prepare_environment(environment: Mapping[str, str]) -> None:
    os.environ.update(environment)
    from resolvers import handler  # noqa: F401 - the init phase: import once per environment


def _invoke(payload: str) -> str:
    """One invocation inside an execution environment; returns the runtime's JSON response."""
    from resolvers.handler import lambda_handler

    try:
        context = cast("LambdaContext", LocalLambdaContext(aws_request_id=str(uuid.uuid4())))
        result = lambda_handler(json.loads(payload), context)
        return json.dumps({"result": result})
    except Exception as error:
        return json.dumps({"errorType": type(error).__name__, "errorMessage": str(error)})


class LambdaRuntime:
    def __init__(self, environment: Mapping[str, str], *, workers: int = 4, inline: bool = False) -> None:
        self.invocations = 0
        self._lock = threading.Lock()
        self._executor: Executor
        if inline:
            _prepare_environment(environment)
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lambda")
        else:
            self._executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=get_context("spawn"),
                initializer=_prepare_environment,
                initargs=(dict(environment),),
            )

    def warm_up(self) -> None:
        """Starts the environments now rather than on the first request."""
        self._executor.submit(_invoke, "null").result()

    async def invoke(self, event: dict[str, Any] | list[dict[str, Any]]) -> Any:
        with self._lock:
            self.invocations += 1
        loop = asyncio.get_running_loop()
        response = json.loads(await loop.run_in_executor(self._executor, _invoke, json.dumps(event)))
        if "errorType" in response:
            raise LambdaError(response["errorType"], response["errorMessage"])
        return response["result"]

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
