"""Brings an existing table's global secondary indexes to its definition, as CloudFormation would, data kept.

DynamoDB changes one index per UpdateTable and only while the table and its indexes are ACTIVE, so each change
waits for that. An index whose keys or projection changed cannot be altered in place: as CloudFormation does,
it is deleted and created again (DynamoDB backfills it from the table's items).
"""

from __future__ import annotations

import time
from typing import Any

POLL_SECONDS = 0.2
"""How often DescribeTable is asked whether a change has finished (DynamoDB offers no notification)."""
TIMEOUT_SECONDS = 300.0


class MigrationTimedOut(Exception):
    """The table or an index did not become ACTIVE in time."""


def migrate_indexes(client: Any, wanted: dict[str, Any]) -> list[str]:
    """Deletes the indexes ``wanted`` (``create_table`` arguments) lacks or changes, then creates what it adds or
    changes. Returns one line per change."""
    table_name = wanted["TableName"]
    table = client.describe_table(TableName=table_name)["Table"]
    existing = {index["IndexName"]: index for index in table.get("GlobalSecondaryIndexes", [])}
    desired = {index["IndexName"]: index for index in wanted.get("GlobalSecondaryIndexes", [])}
    changed = {name for name, index in desired.items() if name in existing and not _same(existing[name], index)}
    changes: list[str] = []
    for name in existing:
        if name not in desired or name in changed:
            _update(client, table_name, [], {"Delete": {"IndexName": name}})
            if name not in changed:
                changes.append(f"table {table_name}: deleted index {name}")
    for name, index in desired.items():
        if name not in existing or name in changed:
            keys = {key["AttributeName"] for key in index["KeySchema"]}
            attributes = [a for a in wanted["AttributeDefinitions"] if a["AttributeName"] in keys]
            create = {
                field: index[field]
                for field in ("IndexName", "KeySchema", "Projection", "ProvisionedThroughput")
                if field in index
            }
            _update(client, table_name, attributes, {"Create": create})
            verb = "replaced" if name in changed else "created"
            changes.append(f"table {table_name}: {verb} index {name} ({_describe(index)}), items kept")
    return changes


def _same(existing: dict[str, Any], wanted: dict[str, Any]) -> bool:
    def projection(index: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
        value = index.get("Projection", {})
        return value.get("ProjectionType", "ALL"), tuple(sorted(value.get("NonKeyAttributes", ())))

    return existing["KeySchema"] == wanted["KeySchema"] and projection(existing) == projection(wanted)


def _describe(index: dict[str, Any]) -> str:
    keys = ", ".join(key["AttributeName"] for key in index["KeySchema"])
    return f"{keys}; projection {index.get('Projection', {}).get('ProjectionType', 'ALL')}"


def _update(client: Any, table_name: str, attributes: list[dict[str, str]], change: dict[str, Any]) -> None:
    _wait_until_active(client, table_name)
    arguments: dict[str, Any] = {"TableName": table_name, "GlobalSecondaryIndexUpdates": [change]}
    if attributes:
        arguments["AttributeDefinitions"] = attributes
    client.update_table(**arguments)
    _wait_until_active(client, table_name)


def _wait_until_active(client: Any, table_name: str) -> None:
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while True:
        table = client.describe_table(TableName=table_name)["Table"]
        indexes = table.get("GlobalSecondaryIndexes", [])
        if table["TableStatus"] == "ACTIVE" and all(index["IndexStatus"] == "ACTIVE" for index in indexes):
            return
        if time.monotonic() > deadline:
            raise MigrationTimedOut(f"table {table_name} is not ACTIVE after {TIMEOUT_SECONDS:.0f} s")
        time.sleep(POLL_SECONDS)
