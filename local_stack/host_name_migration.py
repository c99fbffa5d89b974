"""Gives events stored before events carried their host's name that name, and their place in GSI2 under the host.

Such an event item holds no ``hostName``: a listing reads its host's profile beside it (one more key in the
page's BatchGetItem), and a host's rename cannot find it. Each is given both in one UpdateItem, on condition that
it still carries no name, and is then checked against its host's profile as a new event is
(``HostNameStore.check_event``), so a rename that committed meanwhile wins. The table is scanned once: this runs on
a laptop's data directory at start (and, once, against a deployed table: docs/deploying.md), never on a request's
path; a second run names nothing.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from local_stack.item_migration import event_items, migrate_deployed
from resolvers.store import GatherStore
from resolvers.store.core import CONDITION_FAILED, ITEM_EXISTS, KEY_NAMES, key_item, read_string, string
from resolvers.table_definition import (
    HOSTED_PARTITION_KEY,
    HOSTED_SORT_KEY,
    event_key,
    hosted_partition_key,
    hosted_sort_key,
    user_key,
)


def name_event_hosts(client: Any, table_name: str) -> int:
    """Names the host on every event item that names none (a host with no profile is left to ``Event.host``, as
    before); returns how many events were named."""
    store = GatherStore(table_name, client)
    named = 0
    for item in event_items(client, table_name, "attribute_not_exists(#name)", {"#name": "hostName"}):
        event_id, host_id = read_string(item, "id"), read_string(item, "hostId")
        profile = store.table.get(user_key(host_id), consistent=True)
        if profile is None:
            continue
        name = read_string(profile, "displayName")
        try:
            client.update_item(
                TableName=table_name,
                Key=key_item(event_key(event_id)),
                UpdateExpression="SET #name = :name, #hosted = :hosted, #hostedSort = :hostedSort",
                ConditionExpression=f"{ITEM_EXISTS} AND attribute_not_exists(#name)",
                ExpressionAttributeNames={
                    **KEY_NAMES,
                    "#name": "hostName",
                    "#hosted": HOSTED_PARTITION_KEY,
                    "#hostedSort": HOSTED_SORT_KEY,
                },
                ExpressionAttributeValues={
                    ":name": string(name),
                    ":hosted": string(hosted_partition_key(host_id)),
                    ":hostedSort": string(hosted_sort_key(event_id)),
                },
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != f"{CONDITION_FAILED}Exception":
                raise
            continue  # deleted, or named meanwhile
        store.host_names.check_event(event_id, host_id, name)
        named += 1
    return named


def main() -> None:
    migrate_deployed("local_stack.host_name_migration", name_event_hosts, "Named the host on {} events")


if __name__ == "__main__":
    main()
