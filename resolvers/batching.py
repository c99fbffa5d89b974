"""Fields resolved through AppSync BatchInvoke, with their maxBatchSize.

The handler registers these as batch resolvers, the mirror groups them like BatchInvoke, and CDK sets
``maxBatchSize`` on their resolvers: all three read this mapping.
"""

from __future__ import annotations

from typing import Any, Final

BATCH_MAX_SIZE: Final[dict[tuple[str, str], int]] = {
    # A page holds at most 100 events (listEvents' limit), so one batch covers a page.
    ("Event", "host"): 100,
    ("Event", "comments"): 100,
    ("Event", "hasSeat"): 100,
    ("Event", "waitlistPosition"): 100,
    ("Event", "attendees"): 100,
}


def batch_resolver(router: Any, type_name: str, field_name: str) -> Any:
    """Registers a BatchInvoke resolver that answers the whole batch at once and fails it as one
    (``resolvers/registry.py`` refuses fields not listed above)."""
    return router.batch_resolver(type_name=type_name, field_name=field_name, aggregate=True, raise_on_error=True)
