"""UnprocessedKeys are retried until every key is answered (DynamoDB's answer shaped with botocore's Stubber)."""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from resolvers.store import GatherStore, user_key


def profile(uid: str) -> dict[str, dict[str, str]]:
    return {**user_key(uid), "id": {"S": uid}, "displayName": {"S": uid.upper()}}


def test_unprocessed_keys_are_asked_again() -> None:
    client = boto3.client("dynamodb", region_name="us-east-1")
    store = GatherStore("t", client)
    with Stubber(client) as stub:
        stub.add_response(
            "batch_get_item",
            {"Responses": {"t": [profile("a")]}, "UnprocessedKeys": {"t": {"Keys": [user_key("b")]}}},
            {"RequestItems": {"t": {"Keys": [user_key("a"), user_key("b")]}}},
        )
        stub.add_response(
            "batch_get_item",
            {"Responses": {"t": [profile("b")]}, "UnprocessedKeys": {}},
            {"RequestItems": {"t": {"Keys": [user_key("b")]}}},
        )
        found = store.get_users(["a", "b", "a"])
        stub.assert_no_pending_responses()
    assert found == {"a": {"id": "a", "displayName": "A"}, "b": {"id": "b", "displayName": "B"}}
