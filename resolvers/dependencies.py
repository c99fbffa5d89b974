"""What every resolver needs, built once per execution environment and reused across invocations."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from resolvers import settings
from resolvers.store import GatherStore


@cache
def store() -> GatherStore:
    return GatherStore(settings.table_name())


def now() -> datetime:
    return datetime.now(UTC)
