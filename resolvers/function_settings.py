"""The resolver Lambda's configuration: CDK deploys the function with it, the mirror's local Lambda enforces it."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class StreamConsumerSettings:
    """The stream consumer: a second function from the same code, and the event source mapping that feeds it
    the table's stream. CDK deploys both with these values; ``gather dev`` runs its local mapping by them."""

    handler: str = "resolvers.stream_handler.lambda_handler"
    timeout_seconds: int = 60
    """A clean-up step or a run of promotions takes seconds; a batch of 100 records that each start one still fits."""
    memory_mb: int = 512
    batch_size: int = 100
    maximum_retry_attempts: int = 3
    """Retries of a failing batch (halves not counted, as Lambda counts them) before it goes to the on-failure
    destination and the shard moves on."""
    bisect_batch_on_function_error: bool = True
    starting_position: str = "TRIM_HORIZON"
    """Where a new mapping starts reading: the oldest record the stream still holds (24 hours), so nothing
    written before the consumer first ran is skipped."""


STREAM_CONSUMER: Final = StreamConsumerSettings()


@dataclass(frozen=True)
class ApiKeyRenewalSettings:
    """The job that keeps the public API key alive: a third function from the same code, run on a schedule
    (``cdk_app/api_key_renewal.py``), whose report of the days left an alarm watches."""

    handler: str = "resolvers.api_key_renewal.lambda_handler"
    timeout_seconds: int = 30
    memory_mb: int = 128
    interval_days: int = 1
    days_left_metric: str = "ApiKeyDaysLeft"
    """Published with the ``service`` dimension every Gather metric carries (powertools' default)."""


API_KEY_RENEWAL: Final = ApiKeyRenewalSettings()
