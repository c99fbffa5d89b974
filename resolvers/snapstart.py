"""Lambda SnapStart's runtime hooks: what no restored copy should pay for, and what no two copies may share.

With SnapStart, Lambda initialises a published version once, snapshots the execution environment, and starts
each new environment of that version from the snapshot. Before the snapshot, ``prime`` builds what a first
request would otherwise build: the store with its DynamoDB client (botocore's service model parsed, the
first call's serializer, endpoint and signer made, by reading an item that never exists), the signing secret
for nextTokens, and the time-zone database that writes check. After each restore, ``renew`` gives the copy
what must be its own:

- a new seed for ``random``, which draws the retries' backoff jitter: copies of one snapshot would otherwise
  draw the same numbers and retry in lockstep. Ids and secrets come from ``uuid4`` and ``secrets``, which read
  the operating system's entropy on every call, so they need nothing;
- no pooled connections: one opened before the snapshot belongs to a machine that is gone; botocore opens a
  new one on the next call.

Credentials need nothing: in a SnapStart function, botocore reads them from Lambda's container credentials
endpoint and refreshes them itself before they expire, whenever the copy was restored.

``snapshot_restore_py`` comes with Lambda's Python runtimes (3.12+), which run the hooks; locally the mirror's
environments run the same hooks, with the same module from PyPI. Where it is missing, the hooks are
registered nowhere and nothing runs them.
"""

from __future__ import annotations

import random

from botocore.exceptions import BotoCoreError, ClientError

from resolvers import settings
from resolvers.dependencies import store
from resolvers.logic import validation
from resolvers.observability import logger

PRIMING_EVENT_ID = "snapstart-priming"
"""An event id that is never stored (ids are UUIDs): reading it warms the request path and costs half a read unit."""

try:
    import snapshot_restore_py
except ImportError:  # neither Lambda's runtime nor the local stack's dependencies
    snapshot_restore_py = None


def prime() -> None:
    """Builds before the snapshot what the first request of every restored copy would otherwise pay for."""
    settings.token_secret()
    validation.time_zone(validation.TIME_ZONE_DEFAULT)
    try:
        store().events.get(PRIMING_EVENT_ID)
    except (BotoCoreError, ClientError) as error:
        # The client is built either way; a table out of reach at publish time must not fail the deployment.
        logger.warning("Priming read failed", extra={"error": type(error).__name__})


def renew() -> None:
    """Gives a restored copy its own random sequence and its own connections."""
    random.seed()
    store().client.close()


if snapshot_restore_py is not None:
    snapshot_restore_py.register_before_snapshot(prime)
    snapshot_restore_py.register_after_restore(renew)
