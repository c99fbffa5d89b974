"""The small core the item modules stand on: the table and its client, keys, retries.

Items travel in DynamoDB's wire format (``{"S": ...}``, ``{"N": ...}``); records become items and back in
``resolvers.store.attributes``. Here are only keys and expression values, which are strings and whole
numbers; nothing here knows an item type.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from botocore.exceptions import ClientError

from resolvers.errors import Busy
from resolvers.store.attributes import Item
from resolvers.table_definition import PARTITION_KEY, SORT_KEY, ItemKey

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

TransactItem = dict[str, Any]
Position = dict[str, str]
"""Where a query page ended: the last item's key attributes (all strings in this table)."""

T = TypeVar("T")


@dataclass(frozen=True)
class Cancellation:
    """Why a transaction was refused: each item's code, and the item as it was where a condition failed
    (for writes that asked for it with ``ReturnValuesOnConditionCheckFailure``)."""

    codes: list[str]
    old_items: list[Item | None]

    def failed(self, index: int) -> bool:
        return self.codes[index] == CONDITION_FAILED


BATCH_GET_MAX_KEYS = 100
BATCH_WRITE_MAX_ITEMS = 25
TRANSACTION_MAX_ITEMS = 100
MAX_ATTEMPTS = 10
CONDITION_FAILED = "ConditionalCheckFailed"

ITEM_EXISTS = "attribute_exists(#pk)"
ITEM_ABSENT = "attribute_not_exists(#pk)"
KEY_NAMES = {"#pk": PARTITION_KEY}
"""Expression names for ITEM_EXISTS and ITEM_ABSENT."""


def string(value: str) -> dict[str, str]:
    return {"S": value}


def number(value: int) -> dict[str, str]:
    return {"N": str(value)}


def key_item(key: ItemKey) -> Item:
    return {name: string(value) for name, value in key.attributes().items()}


def read_string(item: Mapping[str, Any], name: str) -> str:
    value: str = item[name]["S"]
    return value


def position_of(key: ItemKey) -> Position:
    return key.attributes()


def _position(last_key: Mapping[str, Any] | None) -> Position | None:
    return None if not last_key else {name: value["S"] for name, value in last_key.items()}


def backoff(attempt: int) -> None:
    """Full-jitter exponential backoff between retries of a contended write."""
    time.sleep(random.uniform(0, min(0.5, 0.01 * 2**attempt)))


def until_written(attempt: Callable[[], T | None], busy_message: str, *, attempts: int = MAX_ATTEMPTS) -> T:
    """Repeats an optimistic read-then-conditional-write until one attempt lands (returns a value).

    Each attempt decides whether to pause first: one that already holds the current state should not.
    """
    for _ in range(attempts):
        result = attempt()
        if result is not None:
            return result
    raise Busy(busy_message)


class Table:
    """Gather's one table, with the few calls every item module needs."""

    def __init__(self, name: str, client: DynamoDBClient) -> None:
        self.name = name
        self.client = client

    def get(self, key: ItemKey, *, consistent: bool = False) -> Item | None:
        item: Item | None = self.client.get_item(TableName=self.name, Key=key_item(key), ConsistentRead=consistent).get(
            "Item"
        )
        return item

    def batch_get(self, keys: Iterable[ItemKey], *, consistent: bool = False) -> list[Item]:
        """BatchGetItem in chunks of 100, retrying UnprocessedKeys until every key is answered."""
        wanted = list(dict.fromkeys(keys))
        found: list[Item] = []
        for start in range(0, len(wanted), BATCH_GET_MAX_KEYS):
            chunk: dict[str, Any] = {"Keys": [key_item(key) for key in wanted[start : start + BATCH_GET_MAX_KEYS]]}
            if consistent:
                chunk["ConsistentRead"] = True
            request: dict[str, Any] = {self.name: chunk}
            for attempt in range(MAX_ATTEMPTS):
                response = self.client.batch_get_item(RequestItems=request)
                found.extend(response.get("Responses", {}).get(self.name, []))
                request = dict(response.get("UnprocessedKeys") or {})
                if not request:
                    break
                backoff(attempt)
            else:
                raise Busy("DynamoDB kept keys unprocessed; try again")
        return found

    def query_page(self, position: Position | None, **query: Any) -> tuple[list[Item], Position | None]:
        """One page of a query, continuing after ``position``; returns the items and where the page ended."""
        if position is not None:
            query["ExclusiveStartKey"] = {name: string(value) for name, value in position.items()}
        response = self.client.query(TableName=self.name, **query)
        return list(response.get("Items", [])), _position(response.get("LastEvaluatedKey"))

    def query_prefix(
        self,
        partition: str,
        sort_prefix: str,
        position: Position | None,
        *,
        limit: int | None = None,
        newest_first: bool = False,
        consistent: bool = False,
    ) -> tuple[list[Item], Position | None]:
        """One page of the items of ``partition`` whose sort key starts with ``sort_prefix``, in sort-key order."""
        query: dict[str, Any] = {
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :prefix)",
            "ExpressionAttributeNames": {"#pk": PARTITION_KEY, "#sk": SORT_KEY},
            "ExpressionAttributeValues": {":pk": string(partition), ":prefix": string(sort_prefix)},
            "ScanIndexForward": not newest_first,
            "ConsistentRead": consistent,
        }
        if limit is not None:
            query["Limit"] = limit
        return self.query_page(position, **query)

    def count_between(self, partition: str, first: str, last: str, *, consistent: bool = False) -> int:
        """How many items of ``partition`` have a sort key from ``first`` to ``last`` (both included); only their
        keys are read, a 1 MB page at a time."""
        count = 0
        position: Position | None = None
        while True:
            query: dict[str, Any] = {
                "TableName": self.name,
                "KeyConditionExpression": "#pk = :pk AND #sk BETWEEN :first AND :last",
                "ExpressionAttributeNames": {"#pk": PARTITION_KEY, "#sk": SORT_KEY},
                "ExpressionAttributeValues": {":pk": string(partition), ":first": string(first), ":last": string(last)},
                "Select": "COUNT",
                "ConsistentRead": consistent,
            }
            if position is not None:
                query["ExclusiveStartKey"] = {name: string(value) for name, value in position.items()}
            response = self.client.query(**query)
            count += response["Count"]
            position = _position(response.get("LastEvaluatedKey"))
            if position is None:
                return count

    def transact(self, items: Sequence[TransactItem], *, retry_conflicts: bool = True) -> Cancellation | None:
        """Runs a transaction; None on success, else why it was cancelled.

        Conflicts with concurrent transactions are retried here unless the caller rebuilds its
        transaction from a fresh read (``retry_conflicts=False``); condition failures are returned.
        """
        transact_items: list[Any] = list(items)
        for attempt in range(MAX_ATTEMPTS):
            try:
                self.client.transact_write_items(TransactItems=transact_items)
                return None
            except ClientError as error:
                if error.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                reasons: list[Mapping[str, Any]] = error.response.get("CancellationReasons") or []  # type: ignore[assignment]
                cancellation = Cancellation(
                    codes=[reason.get("Code", "None") for reason in reasons],
                    old_items=[reason.get("Item") for reason in reasons],
                )
                if CONDITION_FAILED in cancellation.codes or not retry_conflicts:
                    return cancellation
            backoff(attempt)
        raise Busy("Too many simultaneous changes to this event; try again")

    def put(
        self,
        item: Item,
        *,
        condition: str | None = None,
        names: Mapping[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
        old_item_on_failure: bool = False,
    ) -> TransactItem:
        """A Put for ``transact``; ``old_item_on_failure`` returns the item as it was if the condition fails."""
        put = self._write(Item=item, condition=condition, names=names, values=values)
        if old_item_on_failure:
            put["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return {"Put": put}

    def delete(
        self,
        key: ItemKey,
        *,
        condition: str | None = None,
        names: Mapping[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> TransactItem:
        """A Delete for ``transact``."""
        return {"Delete": self._write(Key=key_item(key), condition=condition, names=names, values=values)}

    def update(
        self,
        key: ItemKey,
        expression: str,
        *,
        condition: str | None = None,
        names: Mapping[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
        old_item_on_failure: bool = False,
    ) -> TransactItem:
        """An Update for ``transact``; ``old_item_on_failure`` returns the item as it was if the condition fails."""
        update = self._write(
            Key=key_item(key), UpdateExpression=expression, condition=condition, names=names, values=values
        )
        if old_item_on_failure:
            update["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return {"Update": update}

    def check(self, key: ItemKey, condition: str, *, names: Mapping[str, str] | None = None) -> TransactItem:
        """A ConditionCheck for ``transact``."""
        return {"ConditionCheck": self._write(Key=key_item(key), condition=condition, names=names, values=None)}

    def _write(
        self, *, condition: str | None, names: Mapping[str, str] | None, values: Mapping[str, Any] | None, **parts: Any
    ) -> dict[str, Any]:
        write: dict[str, Any] = {"TableName": self.name, **parts}
        if condition is not None:
            write["ConditionExpression"] = condition
        if names:
            write["ExpressionAttributeNames"] = dict(names)
        if values:
            write["ExpressionAttributeValues"] = dict(values)
        return write

    def batch_delete(self, keys: Iterable[ItemKey]) -> None:
        """Deletes these items (absent ones are no error), 25 per BatchWriteItem, retrying unprocessed ones."""
        wanted = [key_item(key) for key in dict.fromkeys(keys)]
        for start in range(0, len(wanted), BATCH_WRITE_MAX_ITEMS):
            requests: list[Any] = [
                {"DeleteRequest": {"Key": key}} for key in wanted[start : start + BATCH_WRITE_MAX_ITEMS]
            ]
            for attempt in range(MAX_ATTEMPTS):
                response = self.client.batch_write_item(RequestItems={self.name: requests})
                requests = list(response.get("UnprocessedItems", {}).get(self.name, []))
                if not requests:
                    break
                backoff(attempt)
            else:
                raise Busy("DynamoDB kept deletes unprocessed; try again")
