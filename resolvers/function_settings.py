"""The resolver Lambda's configuration: CDK deploys the function with it, the mirror's local Lambda enforces it."""

from __future__ import annotations

from typing import Final

HANDLER: Final = "resolvers.handler.lambda_handler"
TIMEOUT_SECONDS: Final = 10
"""Past this an invocation is ended (Sandbox.Timedout); AppSync's own 30 s request limit is far above it."""
MEMORY_MB: Final = 512
SERVICE_NAME: Final = "gather"
"""powertools' service name: the ``service`` key of every log line and the metrics' service dimension."""
METRICS_NAMESPACE: Final = "Gather"
UNEXPECTED_ERRORS_METRIC: Final = "UnexpectedErrors"
"""Exceptions that are not a GatherError: bugs, not business outcomes. The canary's rollback alarm counts them."""
VERSION_DIMENSION: Final = "functionVersion"
"""The metric's per-version dimension, so the canary alarm sees only the version under test."""
REQUEST_ID_HEADER: Final = "x-amzn-requestid"
"""The request header carrying AppSync's id of the GraphQL request; the handler's log lines use it as correlation id."""
