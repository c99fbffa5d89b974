"""Which fields the handler serves, read from the handler's own registrations.

The parity test and CDK's resolvers both come from here, so no list of fields is kept by hand.
"""

from __future__ import annotations

from resolvers.batching import BATCH_MAX_SIZE


def served_fields() -> dict[tuple[str, str], int | None]:
    """(type, field) → maxBatchSize for batched fields, None for single-invoke ones."""
    from resolvers.handler import app

    fields: dict[tuple[str, str], int | None] = {}
    for key in app._resolver_registry.resolvers:  # noqa: SLF001 - powertools exposes no public listing
        type_name, field_name = key.split(".", 1)
        fields[(type_name, field_name)] = None
    for key in app._batch_resolver_registry.resolvers:  # noqa: SLF001
        type_name, field_name = key.split(".", 1)
        fields[(type_name, field_name)] = BATCH_MAX_SIZE[(type_name, field_name)]
    return fields
