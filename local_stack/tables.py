"""Creates Gather's table where it is missing, from the same definition CDK deploys, and brings an older
local table up to it: a table made before the stream consumer existed gets its stream turned on."""

from __future__ import annotations

from typing import Any

from resolvers.table_definition import GATHER_TABLE


def ensure_table(client: Any, table_name: str) -> bool:
    """True when the table had to be created; waits until it is usable either way."""
    created = False
    try:
        description = client.describe_table(TableName=table_name)["Table"]
    except client.exceptions.ResourceNotFoundException:
        client.create_table(**GATHER_TABLE.create_table_arguments(table_name))
        created = True
    else:
        stream = description.get("StreamSpecification") or {}
        if stream != GATHER_TABLE.stream_specification:
            if stream.get("StreamEnabled"):  # another view type: a stream's view cannot change, only be replaced
                client.update_table(TableName=table_name, StreamSpecification={"StreamEnabled": False})
            client.update_table(TableName=table_name, StreamSpecification=GATHER_TABLE.stream_specification)
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    return created
