"""DynamoDB Local control against real JVMs: loopback only, persistence, clean stops, clear start-up failures.

A few JVMs in all, to keep this file quick: one owned by a child Python process that is then killed with SIGTERM,
one in this process on the same data directory (killed and restarted a few times), and one that must fail because
its port is taken.
"""

from __future__ import annotations

import ipaddress
import itertools
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import pytest

from local_stack import processes
from local_stack.dynamodb_local import DynamoDBLocal, DynamoDBLocalError

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLE = "persisted"
ITEM_KEY = {"pk": {"S": "kept"}}
ITEM = {**ITEM_KEY, "note": {"S": "written before the restart"}}
TCP_LISTEN = "0A"

# Runs in a child process: starts DynamoDB Local on a data directory, writes one item with credentials and a region
# unlike the parent's (so -sharedDb is exercised too), reports the JVM's pid, then waits to be killed.
OWNER_SCRIPT = f"""
import json, sys
from pathlib import Path
import boto3
from local_stack.dynamodb_local import DynamoDBLocal

ddb = DynamoDBLocal(data_dir=Path(sys.argv[1]))
ddb.start()
client = boto3.client(
    "dynamodb", endpoint_url=ddb.endpoint, region_name="eu-west-1",
    aws_access_key_id="owner", aws_secret_access_key="owner",
)
client.create_table(
    TableName={TABLE!r},
    KeySchema=[{{"AttributeName": "pk", "KeyType": "HASH"}}],
    AttributeDefinitions=[{{"AttributeName": "pk", "AttributeType": "S"}}],
    BillingMode="PAY_PER_REQUEST",
)
client.put_item(TableName={TABLE!r}, Item={ITEM!r})
ddb.settle()
print(json.dumps({{"pid": ddb.pid, "port": ddb.port}}), flush=True)
sys.stdin.read()
"""


@dataclass
class Lifecycle:
    """The in-process server plus what happened to the JVM whose owner was killed before it started."""

    ddb: DynamoDBLocal
    owner_jvm_pid: int
    owner_jvm_exited: bool


def client_for(ddb: DynamoDBLocal, config: botocore.config.Config | None = None) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=ddb.endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        aws_session_token=None,
        config=config,
    )


def jvm_alive(pid: int) -> bool:
    """Running (not a zombie) and still our launcher, so a reused pid does not count."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (FileNotFoundError, ProcessLookupError):
        return False
    state = stat.rsplit(")", 1)[1].split()[0]
    return state != "Z" and b"LoopbackDynamoDB" in cmdline


def wait_for_exit(pid: int, timeout: float) -> bool:
    """The JVM ended within ``timeout`` (or the pid now belongs to something else)."""
    return processes.wait_for_exit(pid, timeout) or not jvm_alive(pid)


def listening_addresses(port: int) -> set[str]:
    """Local addresses of TCP sockets listening on ``port``, from the kernel's own tables."""
    found: set[str] = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address_hex, port_hex = fields[1].split(":")
            if fields[3] != TCP_LISTEN or int(port_hex, 16) != port:
                continue
            raw = bytes.fromhex(address_hex)
            if sys.byteorder == "little":  # the kernel prints each 32-bit word in host order
                raw = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
            address = ipaddress.ip_address(raw)
            if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
                address = address.ipv4_mapped
            found.add(str(address))
    return found


def non_loopback_addresses() -> list[str]:
    """This machine's other addresses (``hostname -I``, else the source address of a default route)."""
    addresses: list[str] = []
    try:
        result = subprocess.run(["hostname", "-I"], capture_output=True, text=True, check=False, timeout=10)
        addresses = result.stdout.split()
    except (OSError, subprocess.SubprocessError):
        pass
    if not addresses:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            try:
                probe.connect(("192.0.2.1", 9))  # UDP connect sends nothing; it only picks a route
                addresses = [probe.getsockname()[0]]
            except OSError:
                pass
    return [a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_loopback]


def run_owner_then_sigterm(data_dir: Path) -> int:
    """Start DynamoDB Local from a child Python process, then SIGTERM that process; returns the JVM's pid."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER_SCRIPT, str(data_dir)],
        cwd=REPO_ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert owner.stdout is not None
        readable, _, _ = select.select([owner.stdout], [], [], 90)
        line = owner.stdout.readline() if readable else ""
        if not line:
            owner.kill()
            _, errors = owner.communicate(timeout=30)
            pytest.fail(f"the owner process did not report a running DynamoDB Local:\n{errors}")
        jvm_pid = int(json.loads(line)["pid"])
        assert jvm_alive(jvm_pid)
        owner.send_signal(signal.SIGTERM)
        assert owner.wait(timeout=30) == -signal.SIGTERM
        return jvm_pid
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait(timeout=30)
        for stream in (owner.stdin, owner.stdout, owner.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lifecycle]:
    data_dir = tmp_path_factory.mktemp("dynamodb-data")
    owner_jvm_pid = run_owner_then_sigterm(data_dir)
    exited = wait_for_exit(owner_jvm_pid, timeout=30)
    if not exited:  # fail the test that checks this, but do not leave the JVM (or a locked database) behind
        os.kill(owner_jvm_pid, signal.SIGKILL)
        wait_for_exit(owner_jvm_pid, timeout=30)
    ddb = DynamoDBLocal(data_dir=data_dir)
    ddb.start()
    try:
        yield Lifecycle(ddb, owner_jvm_pid, exited)
    finally:
        ddb.stop()


@pytest.fixture
def ddb(lifecycle: Lifecycle) -> DynamoDBLocal:
    """The in-process server, restarted if an earlier test stopped it (keeps tests independent of order)."""
    if not lifecycle.ddb.running:
        lifecycle.ddb.start()
    return lifecycle.ddb


def test_jvm_exits_when_its_owner_is_killed_with_sigterm(lifecycle: Lifecycle) -> None:
    assert lifecycle.owner_jvm_exited, f"JVM {lifecycle.owner_jvm_pid} outlived the process that started it"


def test_tables_persist_across_restarts_in_data_dir(ddb: DynamoDBLocal) -> None:
    client = client_for(ddb)
    assert TABLE in client.list_tables()["TableNames"]
    assert client.get_item(TableName=TABLE, Key=ITEM_KEY)["Item"] == ITEM


def test_settled_writes_survive_sigkill_under_load(ddb: DynamoDBLocal) -> None:
    """DynamoDB Local answers a write before it commits it, so with its SQLite thread busy a SIGKILL loses
    writes it acknowledged (without ``settle`` this test failed five runs in five). Writes settled before they
    count as acknowledged all survive."""
    for cycle in range(2):
        acknowledged = write_until_killed(ddb, cycle)
        ddb.restart()
        client = client_for(ddb)
        lost = [key for key in acknowledged if "Item" not in client.get_item(TableName=TABLE, Key=key)]
        assert lost == [], f"{len(lost)} of {len(acknowledged)} settled writes lost in cycle {cycle}"


def write_until_killed(ddb: DynamoDBLocal, cycle: int, writers: int = 3, enough: int = 150) -> list[dict[str, Any]]:
    """Writers put items and settle each before counting it; the one that counts the ``enough``-th kills the JVM."""
    jvm = ddb.pid
    assert jvm is not None
    acknowledged: list[dict[str, Any]] = []
    lock = threading.Lock()
    config = botocore.config.Config(retries={"max_attempts": 1}, connect_timeout=2, read_timeout=10)

    def write(writer: int) -> None:
        client = client_for(ddb, config)
        for number in itertools.count():
            key = {"pk": {"S": f"cycle {cycle} writer {writer} number {number}"}}
            try:
                client.transact_write_items(TransactItems=[{"Put": {"TableName": TABLE, "Item": key}}])
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
                return
            ddb.settle()
            with lock:
                if len(acknowledged) >= enough:
                    return
                acknowledged.append(key)
                if len(acknowledged) == enough:
                    os.kill(jvm, signal.SIGKILL)

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert wait_for_exit(jvm, timeout=30)
    return acknowledged


def test_listens_on_loopback_only(ddb: DynamoDBLocal) -> None:
    assert ddb.endpoint == f"http://127.0.0.1:{ddb.port}"
    assert listening_addresses(ddb.port) == {"127.0.0.1"}
    assert isinstance(client_for(ddb).list_tables()["TableNames"], list)
    for address in non_loopback_addresses():
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as attempt:
            attempt.settimeout(5)
            with pytest.raises(ConnectionRefusedError):
                attempt.connect((address, ddb.port))


def test_port_in_use_fails_fast_with_a_clear_error(ddb: DynamoDBLocal) -> None:
    # The port is held by a working DynamoDB Local, so a naive "does ListTables answer?" check would pass.
    rival = DynamoDBLocal(port=ddb.port)
    started = time.monotonic()
    with pytest.raises(DynamoDBLocalError, match=rf"port {ddb.port} on 127\.0\.0\.1 is already in use") as raised:
        rival.start(timeout=60)
    assert time.monotonic() - started < 30, "the failure should come from java exiting, not from the timeout"
    assert "Failed to bind" in str(raised.value)  # java's own output is in the message
    assert not rival.running
    assert rival.pid is None
    rival.stop()  # still harmless
    assert ddb.running


def test_missing_npm_package_is_explained(tmp_path: Path) -> None:
    with pytest.raises(DynamoDBLocalError, match="npm install"):
        DynamoDBLocal(node_modules=tmp_path).start()


def test_stop_leaves_no_jvm_behind(ddb: DynamoDBLocal) -> None:
    pid = ddb.pid
    assert pid is not None
    assert jvm_alive(pid)
    ddb.stop()
    assert not jvm_alive(pid)
    assert listening_addresses(ddb.port) == set()
    assert ddb.pid is None
    assert not ddb.running
    ddb.stop()  # idempotent
