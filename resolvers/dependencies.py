"""What every resolver needs, built once per execution environment and reused across invocations."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from resolvers import settings
from resolvers.observability import log_dynamodb_calls
from resolvers.store import GatherStore


@cache
def store() -> GatherStore:
    built = GatherStore(settings.table_name())
    log_dynamodb_calls(built.client)
    return built


def now() -> datetime:
    return datetime.now(UTC)
