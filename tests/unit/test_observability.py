"""The handler's own logs and metric, read as the local Lambda runtime collects them from a real environment,
and its X-Ray traces, read as the X-Ray daemon receives them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mirror.lambda_runtime import Invocation, LambdaError, LambdaRuntime
from resolvers import function_settings
from resolvers.function_settings import REQUEST_ID_HEADER

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKEN = "eyJraWQiOiJ0ZXN0In0.secret-token-body.signature"
API_KEY = "da2-not-to-be-logged"


@pytest.fixture(scope="module")
def runtime() -> Iterator[LambdaRuntime]:
    runtime = LambdaRuntime({"GATHER_TABLE_NAME": "unused", "GATHER_TOKEN_SECRET": "unused"}, workers=1)
    runtime.warm_up()
    yield runtime
    runtime.close()


def _event(type_name: str, field_name: str, arguments: dict[str, Any], sub: str | None) -> dict[str, Any]:
    identity = {"sub": sub, "username": "ada", "claims": {"sub": sub}, "groups": None} if sub else None
    return {
        "arguments": arguments,
        "identity": identity,
        "source": None,
        "request": {
            "headers": {"authorization": TOKEN, "x-api-key": API_KEY, REQUEST_ID_HEADER: "request-123"},
            "domainName": None,
        },
        "info": {
            "fieldName": field_name,
            "parentTypeName": type_name,
            "selectionSetGraphQL": "",
            "selectionSetList": [],
            "variables": {"password": "hunter2-hunter2"},
        },
        "prev": None,
        "stash": {},
    }


async def _fail(runtime: LambdaRuntime, event: dict[str, Any]) -> tuple[LambdaError, list[dict[str, Any]]]:
    records: list[Invocation] = []
    with pytest.raises(LambdaError) as raised:
        await runtime.invoke(event, records.append)
    [record] = records
    for secret in (TOKEN, API_KEY, "hunter2"):
        assert secret not in record.logs
    return raised.value, [json.loads(line) for line in record.logs.splitlines()]


async def test_an_unexpected_error_is_logged_with_its_traceback_and_counted(runtime: LambdaRuntime) -> None:
    error, lines = await _fail(runtime, _event("Query", "getEvent", {}, "sub-ada"))
    assert error.error_type == "TypeError"
    [logged, metric] = lines
    assert logged["level"] == "ERROR"
    assert logged["correlation_id"] == "request-123"
    assert logged["field"] == "Query.getEvent"
    assert logged["caller"] == "sub-ada"
    assert logged["service"] == function_settings.SERVICE_NAME
    assert logged["exception"].startswith("Traceback")
    assert "TypeError" in logged["exception"]
    [definition] = metric["_aws"]["CloudWatchMetrics"]
    assert definition["Namespace"] == function_settings.METRICS_NAMESPACE
    assert definition["Metrics"] == [{"Name": function_settings.UNEXPECTED_ERRORS_METRIC, "Unit": "Count"}]
    assert metric[function_settings.UNEXPECTED_ERRORS_METRIC] == [1.0]
    assert metric[function_settings.VERSION_DIMENSION] == "$LATEST"
    assert metric["service"] == function_settings.SERVICE_NAME


async def test_an_api_error_is_an_answer_not_a_failure(runtime: LambdaRuntime) -> None:
    error, lines = await _fail(runtime, _event("Mutation", "createEvent", {"input": {}}, None))
    assert error.error_type == "SignInRequired"
    [logged] = lines
    assert (logged["level"], logged["message"], logged["errorType"]) == ("INFO", "Refused", "SignInRequired")
    assert logged["field"] == "Mutation.createEvent"
    assert "caller" not in logged
    assert "exception" not in logged


TRACE_ID = "1-5759e988-bd862e3fe1be46a994272793"
LAMBDA_SEGMENT_ID = "53995c3f42cd8ad8"


def _received(daemon: socket.socket) -> list[dict[str, Any]]:
    """Every document the X-Ray SDK sent: each datagram is a header line, then one segment document."""
    daemon.setblocking(False)
    documents: list[dict[str, Any]] = []
    while True:
        try:
            datagram = daemon.recv(65536)
        except BlockingIOError:
            return documents
        header, document = datagram.decode().split("\n", 1)
        assert json.loads(header) == {"format": "json", "version": 1}
        documents.append(json.loads(document))


def test_with_active_tracing_the_handler_and_its_dynamodb_calls_are_traced() -> None:
    """As on AWS: Lambda's variables, its trace header and its daemon address (here a socket of the test's)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as daemon:
        daemon.bind(("127.0.0.1", 0))
        environment = {
            **os.environ,
            "LAMBDA_TASK_ROOT": str(REPO_ROOT),
            "AWS_XRAY_DAEMON_ADDRESS": f"127.0.0.1:{daemon.getsockname()[1]}",
            "_X_AMZN_TRACE_ID": f"Root={TRACE_ID};Parent={LAMBDA_SEGMENT_ID};Sampled=1",
            "GATHER_TABLE_NAME": "gather-traced",
            "GATHER_TOKEN_SECRET": "unused",
        }
        environment.pop("POWERTOOLS_TRACE_DISABLED", None)
        event = _event("Query", "getEvent", {"id": "no-such-event"}, None)
        subprocess.run(
            [sys.executable, "-m", "tests.unit.traced_invocation", json.dumps(event)],
            env=environment,
            cwd=REPO_ROOT,
            capture_output=True,
            check=True,
            timeout=120,
        )
        documents = _received(daemon)

    assert {document["trace_id"] for document in documents} == {TRACE_ID}
    [handler] = [document for document in documents if document["name"] == "## lambda_handler"]
    assert handler["parent_id"] == LAMBDA_SEGMENT_ID
    assert handler["annotations"] == {"ColdStart": True, "Service": function_settings.SERVICE_NAME}
    calls = [document for document in documents if document.get("namespace") == "aws"]
    assert [(call["name"], call["aws"]["operation"], call["aws"]["table_name"]) for call in calls] == [
        ("dynamodb", "GetItem", "gather-traced")
    ]
    assert calls[0]["parent_id"] == handler["id"]
    assert calls[0]["http"]["response"]["status"] == 200
