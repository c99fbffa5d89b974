"""Creates Gather's table where it is missing, from the same definition CDK deploys."""

from __future__ import annotations

from typing import Any

from resolvers.table_definition import GATHER_TABLE


def ensure_table(client: Any, table_name: str) -> bool:
    """True when the table had to be created; waits until it is usable either way."""
    created = False
    try:
        client.describe_table(TableName=table_name)
    except client.exceptions.ResourceNotFoundException:
        client.create_table(**GATHER_TABLE.create_table_arguments(table_name))
        created = True
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    return created
