"""One Lambda execution environment: a process that imports the handler once, then runs invocations.

The function is a SnapStart one (as deployed): after the import, the environment runs the hooks the code
registered with ``snapshot_restore_py`` to run before a snapshot, and before its first invocation those
registered to run after a restore, as Lambda's Python runtime runs them. So a hook that breaks fails here
first: a failing before-snapshot hook fails the init (on AWS, publishing the version); a failing
after-restore hook fails the invocations with ``SnapStartException``, as Lambda reports it.

The parent (``mirror.lambda_runtime``) starts it as ``python -m mirror.lambda_environment <fd>`` with the
function's environment variables, and talks to it over a socket on that descriptor: length-prefixed JSON
frames. Everything the handler writes to stdout and stderr during an invocation is returned with that
invocation, as Lambda's runtime sends it to CloudWatch, so the console can show it under its request.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import socket
import struct
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypedDict, cast

from resolvers.payload import lambda_json

FRAME_HEADER = struct.Struct("!I")


class InvocationRequest(TypedDict):
    requestId: str
    payload: str
    deadline: float
    """Wall-clock (epoch) seconds at which the invocation is ended; the context counts down to it."""


class InvocationResponse(TypedDict):
    payload: str | None
    """The handler's result as JSON; None when it raised."""
    error: dict[str, Any] | None
    """``{errorType, errorMessage, stackTrace}``, as Lambda's Python runtime reports an exception."""
    logs: str
    durationMs: float


def send_frame(connection: socket.socket, message: object) -> None:
    body = json.dumps(message).encode()
    connection.sendall(FRAME_HEADER.pack(len(body)) + body)


def receive_frame(connection: socket.socket) -> Any:
    """The next message; EOFError once the other side has closed (or died)."""
    header = _receive_exactly(connection, FRAME_HEADER.size)
    return json.loads(_receive_exactly(connection, FRAME_HEADER.unpack(header)[0]))


def _receive_exactly(connection: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = connection.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError
        chunks += chunk
    return bytes(chunks)


@dataclass
class LocalLambdaContext:
    """The attributes of Lambda's context object that powertools and handlers read."""

    aws_request_id: str
    deadline: float
    function_name: str
    memory_limit_in_mb: int
    function_version: str = "$LATEST"
    log_stream_name: str = "local"

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:local:000000000000:function:{self.function_name}"

    @property
    def log_group_name(self) -> str:
        return f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.time()) * 1000))


def error_report(error_type: str, message: str, stack: list[str] | None = None) -> dict[str, Any]:
    return {"errorType": error_type, "errorMessage": message, "stackTrace": stack or []}


def run_invocation(
    handler: Callable[[Any, Any], Any], request: InvocationRequest, function_name: str, memory_mb: int
) -> tuple[str | None, dict[str, Any] | None]:
    """Runs the handler on one event: its result as JSON, or the error Lambda's runtime would report."""
    context = LocalLambdaContext(request["requestId"], request["deadline"], function_name, memory_mb)
    try:
        return lambda_json(handler(json.loads(request["payload"]), context)), None
    except Exception as error:
        stack = traceback.format_list(traceback.extract_tb(error.__traceback__))
        return None, error_report(type(error).__name__, str(error), stack)


def init_error_report(module: str, error: Exception) -> dict[str, Any]:
    """As Lambda's Python runtime names a failed import: its own error types for import and syntax errors."""
    stack = traceback.format_exception(error)
    if isinstance(error, SyntaxError):
        return error_report("Runtime.UserCodeSyntaxError", f"Syntax error in module '{module}': {error}", stack)
    if isinstance(error, ImportError):
        return error_report("Runtime.ImportModuleError", f"Unable to import module '{module}': {error}", stack)
    return error_report(type(error).__name__, str(error), stack)


class _CapturedOutput(io.StringIO):
    """stdout and stderr of the environment: collected per invocation instead of going to a terminal."""

    def take(self) -> str:
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


def load_handler(path: str) -> Callable[[Any, Any], Any]:
    module_name, function_name = path.rsplit(".", 1)
    return cast("Callable[[Any, Any], Any]", getattr(importlib.import_module(module_name), function_name))


def run_before_snapshot_hooks() -> None:
    """In reverse order of registration, as Lambda runs them when it snapshots a published version."""
    import snapshot_restore_py

    for function, args, kwargs in reversed(snapshot_restore_py.get_before_snapshot()):
        function(*args, **kwargs)


def run_after_restore_hooks() -> dict[str, Any] | None:
    """In order of registration, as Lambda runs them in a restored environment; the error it reports, if any."""
    import snapshot_restore_py

    try:
        for function, args, kwargs in snapshot_restore_py.get_after_restore():
            function(*args, **kwargs)
    except Exception as error:
        message = f"The afterRestore() runtime hook encountered an error: {type(error).__name__}: {error}"
        return error_report("SnapStartException", message, traceback.format_exception(error))
    return None


def load_function(path: str) -> Callable[[Any, Any], Any]:
    """The init phase of a SnapStart version: the handler's import, then the hooks that run before the snapshot."""
    handler = load_handler(path)
    run_before_snapshot_hooks()
    return handler


def served_fields_of(path: str) -> list[tuple[str, str, int | None]]:
    """The fields the code's registry (``module.function``) serves, as ``(type, field, maxBatchSize)``."""
    fields = cast("Callable[[], dict[tuple[str, str], int | None]]", load_handler(path))()
    return [(type_name, field_name, size) for (type_name, field_name), size in fields.items()]


def describe_deployment(path: str, argument: str) -> tuple[Any, str | None]:
    """What ``path`` (``module.function``) says of this code, called with ``argument``; or why it could not."""
    try:
        return cast("Callable[[str], Any]", load_handler(path))(argument), None
    except Exception as error:
        return None, "".join(traceback.format_exception_only(error)).strip()


def serve(
    connection: socket.socket, registry: str | None = None, describe: str | None = None, argument: str = ""
) -> None:
    """The init phase (import the handler), then invocations until the parent closes the socket.

    ``registry`` names the function that says which fields this code serves: the parent reads it from the
    ready message, as a deployment's resolvers come from the code CDK synthesizes them from. ``describe``
    (called with ``argument``) says what else the deployment derives from this code, as CDK derives it at synth.
    """
    output = _CapturedOutput()
    sys.stdout = sys.stderr = output
    handler_path = os.environ["_HANDLER"]
    function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
    memory_mb = int(os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"])
    init_error: dict[str, Any] | None = None
    served: list[tuple[str, str, int | None]] | None = None
    try:
        handler = load_function(handler_path)
        served = served_fields_of(registry) if registry else None
    except Exception as error:
        # Lambda reports a failed init on every invocation until the code is fixed (a new deployment).
        init_error = init_error_report(handler_path.rsplit(".", 1)[0], error)
    description, describe_error = None, None
    if describe and init_error is None:
        description, describe_error = describe_deployment(describe, argument)
    ready = {"ready": True, "initError": init_error, "logs": output.take(), "servedFields": served}
    send_frame(connection, {**ready, "description": description, "describeError": describe_error})
    restored = False
    while True:
        try:
            request: InvocationRequest = receive_frame(connection)
        except EOFError:
            return
        started = time.perf_counter()
        if init_error is None and not restored:
            restored = True
            init_error = run_after_restore_hooks()  # a restore that fails leaves the environment unusable
        if init_error is None:
            payload, failure = run_invocation(handler, request, function_name, memory_mb)
        else:
            payload, failure = None, init_error
        response: InvocationResponse = {
            "payload": payload,
            "error": failure,
            "logs": output.take(),
            "durationMs": (time.perf_counter() - started) * 1000,
        }
        send_frame(connection, response)


if __name__ == "__main__":
    arguments = [*sys.argv[2:], "", "", ""]
    serve(socket.socket(fileno=int(sys.argv[1])), arguments[0] or None, arguments[1] or None, arguments[2])
