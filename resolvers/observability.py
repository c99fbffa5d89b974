"""The Lambda's logs, traces and unexpected-errors metric, through powertools.

On AWS the JSON log lines and the metric (CloudWatch embedded metric format, printed to stdout) go to
CloudWatch and the traces to X-Ray. Locally the same lines reach the `gather dev` console, and powertools
switches tracing off because no X-Ray daemon runs (it does so whenever it is outside Lambda).
What is logged is chosen, never the event: request headers carry API keys and tokens.
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit

from resolvers.function_settings import (
    METRICS_NAMESPACE,
    REQUEST_ID_HEADER,
    SERVICE_NAME,
    UNEXPECTED_ERRORS_METRIC,
    VERSION_DIMENSION,
)

TRACE_ID_HEADER = "x-amzn-trace-id"
TRACED_MODULES = ("botocore",)
"""The only library the handler does I/O with; patching everything X-Ray knows would import each at cold start."""

logger = Logger(service=SERVICE_NAME)
tracer = Tracer(service=SERVICE_NAME, patch_modules=TRACED_MODULES)
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
