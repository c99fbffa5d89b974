"""Runs the resolver Lambda as Lambda does: warm execution environments, its timeout, its limits, new deployments.

Each environment is a process of its own (``mirror.lambda_environment``) that imports the handler once and
then serves one invocation at a time, so concurrent requests run side by side exactly as concurrent
Lambda invocations do. What Lambda guarantees, this keeps:

- an invocation past the function's timeout is ended and reported as ``Sandbox.Timedout``; a response
  over 6 MB as ``Function.ResponseSizeTooLarge``; an environment that dies mid-invocation as
  ``Runtime.ExitError``. In each case the environment is replaced and later requests go on;
- ``redeploy`` publishes new code: the next invocations run in fresh environments, while invocations
  already running finish in the old ones, which then stop.

``inline`` runs the handler in this process, one invocation at a time, for benchmarks that count what a
request costs; it enforces no timeout.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mirror.lambda_environment import (
    InvocationRequest,
    InvocationResponse,
    error_report,
    load_function,
    receive_frame,
    run_after_restore_hooks,
    run_invocation,
    send_frame,
    served_fields_of,
)
from resolvers import function_settings
from resolvers.payload import lambda_json

FUNCTION_NAME = "gather-resolvers-local"
RESPONSE_LIMIT_BYTES = 6_291_556
"""Lambda's limit on a synchronous invocation's response payload."""
INIT_TIMEOUT_SECONDS = 60.0
"""How long an environment may take to import the handler before it counts as failed (a loaded machine)."""


class LambdaError(Exception):
    """The function failed; AppSync shows ``error_type`` and ``message`` to the client."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


@dataclass(frozen=True)
class FunctionConfig:
    """What the deployed function is configured with (``resolvers.function_settings``, which CDK reads too)."""

    handler: str = function_settings.HANDLER
    name: str = FUNCTION_NAME
    timeout_seconds: float = function_settings.TIMEOUT_SECONDS
    memory_mb: int = function_settings.MEMORY_MB
    code_dir: Path | None = None
    """Where the handler's package lives (Lambda's task root); None: wherever this interpreter imports it from."""
    registry: str | None = "resolvers.api.served_fields"
    """The code's list of the fields it serves (CDK creates an AppSync resolver for each); None: no such list."""
    describe: str | None = None
    """A function (``module.function``) each environment calls with ``describe_argument`` once the handler has
    imported; its JSON result is the deployment's ``description`` (``gather dev``: what the code derives)."""
    describe_argument: str = ""


@dataclass
class Invocation:
    """One finished invocation, as the console shows it."""

    request_id: str
    field: str
    """``Type.field`` of the (first) event."""
    batch_size: int | None
    """Events in a BatchInvoke list; None for a single event."""
    duration_ms: float
    error: dict[str, Any] | None
    logs: str


@dataclass(frozen=True)
class RuntimeNotice:
    """Something the developer should hear about: an environment replaced, or one that could not start."""

    kind: str
    """``replaced`` | ``init-failed``"""
    message: str
    seconds: float = 0.0
    detail: str = ""


@dataclass
class _Environment:
    process: subprocess.Popen[bytes]
    connection: socket.socket
    deployment: int

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        """Kills the process (Lambda gives a timed-out or retired environment no grace) and reaps it."""
        self.connection.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


@dataclass
class StagedDeployment:
    """New code in one environment of its own, not yet serving: ``deploy`` switches to it, ``discard`` drops it."""

    number: int
    environment: _Environment | None
    served_fields: dict[tuple[str, str], int | None] | None
    """None when the code did not import (or has no registry)."""
    description: Any
    describe_error: str | None
    started: float = field(default_factory=time.monotonic)
    """When staging began (monotonic), so ``deploy`` can say how long the whole redeployment took."""


@dataclass
class _Pool:
    idle: list[_Environment] = field(default_factory=list)
    all: list[_Environment] = field(default_factory=list)
    deployment: int = 0
    starting: int = 0


def _exit_reason(returncode: int | None) -> str:
    """As Lambda words it (Go's ``exec`` messages): ``signal: killed``, ``exit status 1``."""
    if returncode is None:
        return "exited"
    if returncode < 0:
        return f"signal: {(signal.strsignal(-returncode) or str(-returncode)).lower()}"
    return f"exit status {returncode}"


def _event_field(event: Any) -> tuple[str, int | None]:
    if isinstance(event, dict) and isinstance(event.get("Records"), list):  # a stream batch
        return "Records", len(event["Records"])
    first = event[0] if isinstance(event, list) and event else event
    info = first.get("info", {}) if isinstance(first, dict) else {}
    name = f"{info.get('parentTypeName', '?')}.{info.get('fieldName', '?')}"
    return name, len(event) if isinstance(event, list) else None


class LambdaRuntime:
    def __init__(
        self,
        environment: Mapping[str, str],
        *,
        workers: int = 4,
        inline: bool = False,
        function: FunctionConfig | None = None,
    ) -> None:
        self.function = function or FunctionConfig()
        self.workers = workers
        self.inline = inline
        self.listeners: list[Callable[[RuntimeNotice], None]] = []
        """Called (from worker threads) with every notice; the console and tests subscribe."""
        code_dir = self.function.code_dir
        self._environment = {
            **environment,
            "LAMBDA_TASK_ROOT": str(code_dir or Path.cwd()),
            "_HANDLER": self.function.handler,
            "AWS_LAMBDA_FUNCTION_NAME": self.function.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.function.memory_mb),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        }
        if code_dir is not None:
            search_path = [str(code_dir), environment.get("PYTHONPATH", "")]
            self._environment["PYTHONPATH"] = os.pathsep.join(filter(None, search_path))
        self._lock = threading.Condition()
        self._pool = _Pool()
        self._closed = False
        self._started = False
        self._inline_lock = threading.Lock()
        self._reported_init_failure = -1
        self._served: dict[tuple[str, str], int | None] | None = None
        self._description: Any = None
        self._threads = ThreadPoolExecutor(max_workers=max(workers, 1) * 2, thread_name_prefix="lambda")
        self._inline_handler: Callable[[Any, Any], Any] | None = None
        self._inline_restored = False
        self._inline_failure: dict[str, Any] | None = None
        """Why every inline invocation fails: the after-restore hooks did (run before the first invocation)."""
        if inline:
            os.environ.update(environment)
            self._inline_handler = load_function(self.function.handler)

    # Environments

    def warm_up(self) -> None:
        """Starts every environment now and returns once all have imported the handler."""
        if self.inline:
            return
        with self._lock:
            if self._started:
                return
            self._started = True
            deployment = self._pool.deployment
        self._start_environments(deployment, self.workers)

    def served_fields(self) -> dict[tuple[str, str], int | None]:
        """(type, field) -> maxBatchSize (None: not batched) of what the deployed code serves: what AppSync would
        have resolvers for. Environments report it as they start; a deployment whose code does not import leaves
        the last one that did. Inline, or before any environment has started, it is read in this process."""
        with self._lock:
            known = self._served
        if known is not None:
            return dict(known)
        if self.function.registry is None:
            return {}
        return {(type_name, field): size for type_name, field, size in served_fields_of(self.function.registry)}

    def description(self) -> Any:
        """What the serving deployment's code said of itself (``FunctionConfig.describe``); None until known."""
        with self._lock:
            return self._description

    def environment_pids(self) -> list[int]:
        with self._lock:
            return [environment.pid for environment in self._pool.all]

    def redeploy(self) -> float:
        """New code: later invocations run in new environments; running ones finish in the old. Returns seconds."""
        return self.deploy(self.stage())

    def stage(self) -> StagedDeployment:
        """Starts one environment of the saved code beside the serving ones (idle, they leave it the machine) and
        reads what it says of itself; nothing is invoked there until ``deploy``."""
        with self._lock:
            number = self._pool.deployment + 1
        if self.inline:
            return StagedDeployment(number, None, self.served_fields(), None, None)
        launched = self._launch_environment(number)
        if launched is None:
            return StagedDeployment(number, None, None, None, None)
        environment, ready = launched
        served = ready.get("servedFields")
        return StagedDeployment(
            number,
            environment,
            None if served is None else {(type_name, field): size for type_name, field, size in served},
            ready.get("description"),
            ready.get("describeError"),
        )

    def deploy(self, staged: StagedDeployment) -> float:
        """Later invocations run the staged code; running ones finish in the old environments, which then stop.
        Returns the seconds from staging until every environment of the new code is warm."""
        with self._lock:
            self._pool.deployment = staged.number
            retired, self._pool.idle = self._pool.idle, []
            for environment in retired:
                self._pool.all.remove(environment)  # idle ones hold no invocation: stop them now
            self._started = True
            if staged.environment is not None:
                self._remember(staged.served_fields, staged.description)
                self._pool.all.append(staged.environment)
                self._pool.idle.append(staged.environment)
                self._lock.notify_all()
        for environment in retired:
            environment.stop()
        self._start_environments(staged.number, self.workers - (1 if staged.environment is not None else 0))
        return time.monotonic() - staged.started

    def discard(self, staged: StagedDeployment) -> None:
        """The staged code will not serve: its environment stops, the serving deployment stays."""
        if staged.environment is not None:
            staged.environment.stop()

    def _remember(self, served: dict[tuple[str, str], int | None] | None, description: Any) -> None:
        """Under the lock: what the serving deployment's code said of itself (a failed import says nothing)."""
        if served is not None:
            self._served = served
        if description is not None:
            self._description = description

    def _start_environments(self, deployment: int, count: int) -> list[_Environment]:
        """Starts ``count`` environments side by side; returns those that came up."""
        with self._lock:
            self._pool.starting += count
        started: list[_Environment | None] = []
        threads = [
            threading.Thread(target=lambda: started.append(self._start_environment(deployment))) for _ in range(count)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return [environment for environment in started if environment is not None]

    def _start_environment(self, deployment: int) -> _Environment | None:
        launched = self._launch_environment(deployment)
        if launched is None:
            with self._lock:
                self._pool.starting -= 1
                self._lock.notify_all()
            return None
        environment, ready = launched
        with self._lock:
            self._pool.starting -= 1
            retire = self._closed or deployment != self._pool.deployment
            if not retire:
                served = ready.get("servedFields")
                self._remember(
                    None if served is None else {(type_name, field): size for type_name, field, size in served},
                    ready.get("description"),
                )
                self._pool.all.append(environment)
                self._pool.idle.append(environment)
            self._lock.notify_all()
        if retire:
            environment.stop()
            return None
        return environment

    def _launch_environment(self, deployment: int) -> tuple[_Environment, dict[str, Any]] | None:
        """A started environment of this deployment's code and its ready message; None if it never got ready."""
        parent_end, child_end = socket.socketpair()
        try:
            process = subprocess.Popen(  # noqa: S603 - this interpreter, a module of this package
                [
                    sys.executable,
                    "-m",
                    "mirror.lambda_environment",
                    str(child_end.fileno()),
                    self.function.registry or "",
                    self.function.describe or "",
                    self.function.describe_argument,
                ],
                env={**os.environ, **self._environment},
                pass_fds=(child_end.fileno(),),
                stdin=subprocess.DEVNULL,
                cwd=self.function.code_dir,  # Lambda runs in its task root, whose package wins over any other
            )
        finally:
            child_end.close()
        environment = _Environment(process, parent_end, deployment)
        try:
            parent_end.settimeout(INIT_TIMEOUT_SECONDS)
            ready = receive_frame(parent_end)
            parent_end.settimeout(None)
        except (EOFError, OSError) as error:
            environment.stop()
            reason = _exit_reason(process.returncode) if isinstance(error, EOFError) else "init timed out"
            self._notify(RuntimeNotice("init-failed", f"a Lambda environment failed to start ({reason})"))
            return None
        if ready.get("initError") and self._reported_init_failure != deployment:  # once, not once per environment
            self._reported_init_failure = deployment
            failure = ready["initError"]
            detail = ready.get("logs", "") + "".join(failure.get("stackTrace", []))
            self._notify(RuntimeNotice("init-failed", f"{failure['errorType']}: {failure['errorMessage']}", 0, detail))
        return environment, ready

    def _acquire(self) -> _Environment:
        with self._lock:
            if not self._started:
                self._started = True
                threading.Thread(target=self._start_environments, args=(self._pool.deployment, self.workers)).start()
            while not self._pool.idle:
                if self._closed:
                    raise LambdaError("Lambda:ServiceException", "The local Lambda runtime is shutting down")
                self._lock.wait()
            return self._pool.idle.pop()

    def _release(self, environment: _Environment) -> None:
        with self._lock:
            if environment.deployment == self._pool.deployment and not self._closed:
                self._pool.idle.append(environment)
                self._lock.notify_all()
                return
            if environment in self._pool.all:
                self._pool.all.remove(environment)
        environment.stop()

    def _replace(self, environment: _Environment, reason: str) -> None:
        """Lambda discards an environment that timed out or died and starts a fresh one in its place."""
        environment.stop()
        with self._lock:
            if environment in self._pool.all:
                self._pool.all.remove(environment)
            current = environment.deployment == self._pool.deployment and not self._closed
        if current:
            threading.Thread(target=self._start_replacement, args=(environment, reason)).start()

    def _start_replacement(self, environment: _Environment, reason: str) -> None:
        started = time.monotonic()
        replacements = self._start_environments(environment.deployment, 1)
        by = f"replaced by {replacements[0].pid}" if replacements else "not replaced"
        message = f"Lambda environment {environment.pid} {reason}; {by}"
        self._notify(RuntimeNotice("replaced", message, time.monotonic() - started))

    def _notify(self, notice: RuntimeNotice) -> None:
        for listener in list(self.listeners):
            listener(notice)

    # Invocations

    def _invoke_in_environment(self, request: InvocationRequest) -> InvocationResponse:
        environment = self._acquire()
        while environment.process.poll() is not None:  # died while idle: Lambda routes around it
            self._replace(environment, f"exited ({_exit_reason(environment.process.returncode)})")
            environment = self._acquire()
        request_id = request["requestId"]
        started = time.perf_counter()
        request["deadline"] = time.time() + self.function.timeout_seconds  # the clock starts in the environment
        try:
            send_frame(environment.connection, request)
            environment.connection.settimeout(max(0.0, request["deadline"] - time.time()))
            response: InvocationResponse = receive_frame(environment.connection)
            environment.connection.settimeout(None)
        except TimeoutError:
            self._replace(environment, "timed out")
            message = f"RequestId: {request_id} Error: Task timed out after {self.function.timeout_seconds:.2f} seconds"
            return self._failure("Sandbox.Timedout", message, started)
        except (EOFError, OSError):
            environment.process.wait()
            reason = _exit_reason(environment.process.returncode)
            self._replace(environment, f"exited ({reason})")
            return self._failure(
                "Runtime.ExitError", f"RequestId: {request_id} Error: Runtime exited with error: {reason}", started
            )
        self._release(environment)
        return response

    @staticmethod
    def _failure(error_type: str, message: str, started: float) -> InvocationResponse:
        return {
            "payload": None,
            "error": error_report(error_type, message),
            "logs": "",
            "durationMs": (time.perf_counter() - started) * 1000,
        }

    def _invoke_inline(self, request: InvocationRequest) -> InvocationResponse:
        assert self._inline_handler is not None
        started = time.perf_counter()
        if not self._inline_restored:
            self._inline_restored = True
            self._inline_failure = run_after_restore_hooks()
        payload: str | None = None
        error = self._inline_failure
        if error is None:
            payload, error = run_invocation(self._inline_handler, request, self.function.name, self.function.memory_mb)
        return {"payload": payload, "error": error, "logs": "", "durationMs": (time.perf_counter() - started) * 1000}

    def _run(self, request: InvocationRequest) -> InvocationResponse:
        if self.inline:
            with self._inline_lock:  # one invocation at a time, as one environment
                return self._invoke_inline(request)
        return self._invoke_in_environment(request)

    async def invoke(
        self, event: dict[str, Any] | list[dict[str, Any]], record: Callable[[Invocation], None] | None = None
    ) -> Any:
        """The handler's result for ``event``; LambdaError as AppSync would see the failure."""
        request: InvocationRequest = {
            "requestId": str(uuid.uuid4()),
            "payload": lambda_json(event),
            "deadline": time.time() + self.function.timeout_seconds,
        }
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(self._threads, self._run, request)
        payload, error = response["payload"], response["error"]
        if payload is not None and len(payload.encode()) > RESPONSE_LIMIT_BYTES:
            payload, error = (
                None,
                error_report(
                    "Function.ResponseSizeTooLarge",
                    f"Response payload size exceeded maximum allowed payload size ({RESPONSE_LIMIT_BYTES} bytes).",
                ),
            )
        if record is not None:
            field_name, batch_size = _event_field(event)
            duration = response["durationMs"]
            record(Invocation(request["requestId"], field_name, batch_size, duration, error, response["logs"]))
        if error is not None:
            raise LambdaError(error["errorType"], error["errorMessage"])
        assert payload is not None
        return json.loads(payload)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            environments, self._pool.all, self._pool.idle = list(self._pool.all), [], []
            self._lock.notify_all()
        for environment in environments:
            environment.stop()
        self._threads.shutdown(wait=False, cancel_futures=True)
