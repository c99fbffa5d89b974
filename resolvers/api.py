"""The API's composition root: which routers make up the Lambda, and the fields they serve.

The handler, CDK and the mirror all read the served fields from here, so what is deployed, served locally
and registered cannot drift apart. ``served`` checks every registration at import: one that AppSync could
not deploy (see ``resolvers/registry.py``) stops the Lambda's start, naming the field.
"""

from __future__ import annotations

from resolvers.registry import served
from resolvers.routers import comments, events, seats, users, waitlist

ROUTERS = (events.router, seats.router, waitlist.router, comments.router, users.router)
SERVED_FIELDS = served(ROUTERS)


def served_fields() -> dict[tuple[str, str], int | None]:
    """(type, field) → maxBatchSize for batched fields, None for single ones: what CDK deploys and the mirror serves."""
    return dict(SERVED_FIELDS)
