"""resolvers/store/core.py on moto: pages and their positions, transactions' refusals, partitions, retries."""

from __future__ import annotations

import pytest

from resolvers.errors import Busy
from resolvers.records import UserRecord
from resolvers.store import GatherStore
from resolvers.store.attributes import item_of
from resolvers.store.core import ITEM_ABSENT, KEY_NAMES, key_item, string, until_written
from resolvers.table_definition import PARTITION_KEY, ItemKey, user_key


def _put(store: GatherStore, key: ItemKey, **fields: object) -> None:
    store.client.put_item(TableName=store.table_name, Item={**key_item(key), **item_of(fields)})


def _query(
    store: GatherStore, partition: str, limit: int, position: dict[str, str] | None
) -> tuple[list[str], dict[str, str] | None]:
    items, last = store.table.query_page(
        position,
        KeyConditionExpression="#pk = :pk",
        ExpressionAttributeNames={"#pk": PARTITION_KEY},
        ExpressionAttributeValues={":pk": string(partition)},
        Limit=limit,
    )
    return [item["n"]["N"] for item in items], last


def test_a_query_continues_where_its_page_ended(store: GatherStore) -> None:
    for number in range(5):
        _put(store, ItemKey("P", f"S{number}"), n=number)
    first, position = _query(store, "P", 3, None)
    assert position == {"PK": "P", "SK": "S2"}
    rest, _ = _query(store, "P", 3, position)
    assert first + rest == ["0", "1", "2", "3", "4"]


def test_a_refused_transaction_says_which_condition_failed_and_returns_the_old_item(store: GatherStore) -> None:
    taken = ItemKey("P", "taken")
    _put(store, taken, n=1)
    refused = store.table.transact(
        [
            store.table.put(
                {**key_item(ItemKey("P", "free")), **item_of({"n": 2})}, condition=ITEM_ABSENT, names=KEY_NAMES
            ),
            store.table.put(
                {**key_item(taken), **item_of({"n": 3})},
                condition=ITEM_ABSENT,
                names=KEY_NAMES,
                old_item_on_failure=True,
            ),
        ]
    )
    assert refused is not None
    assert (refused.failed(0), refused.failed(1)) == (False, True)
    old = refused.old_items[1]
    assert old is not None
    assert old["n"] == {"N": "1"}
    assert store.table.get(ItemKey("P", "free")) is None, "all or nothing"


def test_items_are_deleted_past_one_batch_write_absent_ones_included(store: GatherStore) -> None:
    for number in range(60):
        _put(store, ItemKey("GONE", f"S{number:02d}"), n=number)
    _put(store, ItemKey("KEPT", "S"), n=0)
    store.table.batch_delete([ItemKey("GONE", f"S{number:02d}") for number in range(70)])
    assert _query(store, "GONE", 100, None) == ([], None)
    assert store.table.get(ItemKey("KEPT", "S")) is not None


def test_batch_get_asks_for_each_key_once_however_many(store: GatherStore) -> None:
    for number in range(120):
        store.users.put(UserRecord(id=f"u{number}", displayName="U"))
    keys = [user_key(f"u{number}") for number in range(120)] + [user_key("u0"), user_key("none")]
    assert len(store.table.batch_get(keys)) == 120


def test_an_optimistic_write_that_never_lands_is_busy() -> None:
    attempts: list[int] = []

    def attempt() -> int | None:
        attempts.append(1)
        return None if len(attempts) < 3 else len(attempts)

    assert until_written(attempt, "busy", attempts=3) == 3
    with pytest.raises(Busy, match="too busy"):
        until_written(lambda: None, "too busy", attempts=2)
