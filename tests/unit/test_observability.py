"""The handler's own logs and metric, read as the local Lambda runtime collects them from a real environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from mirror.lambda_runtime import Invocation, LambdaError, LambdaRuntime
from resolvers import function_settings
from resolvers.function_settings import REQUEST_ID_HEADER

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
