"""The handler's own logs and metric, read as the local Lambda runtime collects them from a real environment."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from local_stack.local_aws import FAKE_CREDENTIALS, LOCAL_REGION
from mirror.lambda_runtime import Invocation, LambdaError, LambdaRuntime
from resolvers import function_settings
from resolvers.function_settings import REQUEST_ID_HEADER
from resolvers.observability import DYNAMODB_CALL
from tests.unit.conftest import SERVED_TABLE

TOKEN = "eyJraWQiOiJ0ZXN0In0.secret-token-body.signature"
API_KEY = "da2-not-to-be-logged"


@pytest.fixture(scope="module")
def runtime(dynamodb_endpoint: str) -> Iterator[LambdaRuntime]:
    environment = {
        **FAKE_CREDENTIALS,
        "AWS_DEFAULT_REGION": LOCAL_REGION,
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint,
        "GATHER_TABLE_NAME": SERVED_TABLE,
        "GATHER_TOKEN_SECRET": "unused",
    }
    runtime = LambdaRuntime(environment, workers=1)
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


def _lines(record: Invocation) -> list[dict[str, Any]]:
    for secret in (TOKEN, API_KEY, "hunter2"):
        assert secret not in record.logs
    return [json.loads(line) for line in record.logs.splitlines()]


async def _fail(runtime: LambdaRuntime, event: dict[str, Any]) -> tuple[LambdaError, list[dict[str, Any]]]:
    records: list[Invocation] = []
    with pytest.raises(LambdaError) as raised:
        await runtime.invoke(event, records.append)
    [record] = records
    return raised.value, _lines(record)


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


async def test_each_dynamodb_call_is_logged_with_its_duration_under_the_request(runtime: LambdaRuntime) -> None:
    records: list[Invocation] = []
    assert await runtime.invoke(_event("Query", "getEvent", {"id": "no-such-event"}, None), records.append) is None
    [record] = records
    [call] = _lines(record)
    assert call["message"] == DYNAMODB_CALL
    assert (call["operation"], call["httpStatus"], call["retries"]) == ("Query", 200, 0)
    assert 0 < call["durationMs"] <= record.duration_ms
    assert (call["correlation_id"], call["field"]) == ("request-123", "Query.getEvent")


async def test_a_call_dynamodb_refuses_is_logged_with_its_error(runtime: LambdaRuntime) -> None:
    """Cancelling a seat at an event that does not exist: DynamoDB cancels the transaction, the client gets NotFound."""
    error, lines = await _fail(runtime, _event("Mutation", "cancelRsvp", {"eventId": "no-such-event"}, "sub-ada"))
    assert error.error_type == "NotFound"
    calls = [line for line in lines if line["message"] == DYNAMODB_CALL]
    refused = [call for call in calls if call["httpStatus"] == 400]
    assert [(call["operation"], call["error"]) for call in refused] == [
        ("TransactWriteItems", "TransactionCanceledException")
    ]
    assert all(call["caller"] == "sub-ada" and call["durationMs"] > 0 for call in calls)
