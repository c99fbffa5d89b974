"""The Lambda's logs and unexpected-errors metric, through powertools, and the duration of each DynamoDB call.

On AWS the JSON log lines and the metric (CloudWatch embedded metric format, printed to stdout) go to
CloudWatch; locally the same lines reach the `gather dev` console. What is logged is chosen, never the
event: request headers carry API keys and tokens.

Traces come from outside the function: AppSync's X-Ray tracing and Lambda's active tracing record the
request, each resolver and each invocation (init, invoke, restore) without an SDK in the code. The X-Ray
SDK (under powertools' Tracer) is in maintenance mode and added ≈ 12 ms to each cold start, so the one thing
it added, a subsegment per DynamoDB call, is a log line per call here instead, timed with botocore's
public event hooks: operation, milliseconds, retries, HTTP status, under the request's correlation id.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from resolvers.function_settings import (
    METRICS_NAMESPACE,
    REQUEST_ID_HEADER,
    SERVICE_NAME,
    UNEXPECTED_ERRORS_METRIC,
    VERSION_DIMENSION,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

TRACE_ID_HEADER = "x-amzn-trace-id"
DYNAMODB_CALL = "DynamoDB call"
"""The message of the line each DynamoDB call logs."""
_STARTED = "gather_started"
"""Where a call's start time waits in botocore's per-request context until the call ends."""

logger = Logger(service=SERVICE_NAME)
metrics = Metrics(namespace=METRICS_NAMESPACE, service=SERVICE_NAME)


def invocation_keys(event: dict[str, Any] | list[dict[str, Any]]) -> dict[str, str | None]:
    """What every log line of this invocation says: which request, which field, which caller (by sub only)."""
    first = event[0] if isinstance(event, list) and event else event
    if not isinstance(first, dict):
        return {"correlation_id": None, "field": None, "caller": None}
    headers = (first.get("request") or {}).get("headers") or {}
    info = first.get("info") or {}
    identity = first.get("identity") or {}
    return {
        "correlation_id": headers.get(REQUEST_ID_HEADER) or headers.get(TRACE_ID_HEADER),
        "field": f"{info.get('parentTypeName')}.{info.get('fieldName')}" if info else None,
        "caller": identity.get("sub"),
    }


def count_unexpected_error() -> None:
    """One data point of the metric the canary's rollback alarm watches, per version of the function."""
    metrics.add_dimension(name=VERSION_DIMENSION, value=os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"))
    metrics.add_metric(name=UNEXPECTED_ERRORS_METRIC, unit=MetricUnit.Count, value=1)
    metrics.flush_metrics()


def log_dynamodb_calls(client: DynamoDBClient) -> None:
    """Logs every call the client makes, retries included, once it has answered or failed."""
    events = client.meta.events
    events.register("before-parameter-build.dynamodb", _call_started)
    events.register("after-call.dynamodb", _call_answered)
    events.register("after-call-error.dynamodb", _call_failed)


def _call_started(context: dict[str, Any], **_: Any) -> None:
    context[_STARTED] = time.perf_counter()


def _call_answered(
    http_response: Any, parsed: dict[str, Any], context: dict[str, Any], event_name: str, **_: Any
) -> None:
    details: dict[str, Any] = {
        "httpStatus": http_response.status_code,
        "retries": parsed.get("ResponseMetadata", {}).get("RetryAttempts", 0),
    }
    if "Error" in parsed:  # a refused condition, a throttle: the call answered, with an error
        details["error"] = parsed["Error"].get("Code")
    _log_call(event_name, context, **details)


def _call_failed(exception: Exception, context: dict[str, Any], event_name: str, **_: Any) -> None:
    _log_call(event_name, context, error=type(exception).__name__)


def _log_call(event_name: str, context: dict[str, Any], **details: Any) -> None:
    started = context.get(_STARTED)
    duration = None if started is None else round((time.perf_counter() - started) * 1000, 1)
    logger.info(DYNAMODB_CALL, extra={"operation": event_name.rsplit(".", 1)[-1], "durationMs": duration, **details})
