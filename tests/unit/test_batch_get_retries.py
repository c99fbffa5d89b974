"""UnprocessedKeys are retried until every key is answered (DynamoDB's answer shaped with botocore's Stubber)."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from resolvers.store import GatherStore
from resolvers.store.core import key_item
from resolvers.table_definition import user_key


def key(uid: str) -> dict[str, dict[str, str]]:
    return key_item(user_key(uid))


def profile(uid: str) -> dict[str, dict[str, str]]:
    return {**key(uid), "id": {"S": uid}, "displayName": {"S": uid.upper()}}


def test_unprocessed_keys_are_asked_again() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    store = GatherStore("t", client)
    with Stubber(client) as stub:
        stub.add_response(
            "batch_get_item",
            {"Responses": {"t": [profile("a")]}, "UnprocessedKeys": {"t": {"Keys": [key("b")]}}},
            {"RequestItems": {"t": {"Keys": [key("a"), key("b")]}}},
        )
        stub.add_response(
            "batch_get_item",
            {"Responses": {"t": [profile("b")]}, "UnprocessedKeys": {}},
            {"RequestItems": {"t": {"Keys": [key("b")]}}},
        )
        found = store.users.get_many(["a", "b", "a"])
        stub.assert_no_pending_responses()
    assert found == {"a": {"id": "a", "displayName": "A"}, "b": {"id": "b", "displayName": "B"}}
