"""The one module that talks to DynamoDB: keys, expressions, transactions and retries live here.

It speaks in plain records (dicts shaped like the GraphQL types plus ids of related items) and turns
DynamoDB's condition failures into the domain errors a client sees.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import ClientError

from resolvers.errors import (
    AlreadyRsvped,
    Busy,
    CapacityBelowAttendance,
    EventFull,
    NotFound,
    NotRsvped,
    VersionConflict,
)
from resolvers.table_definition import (
    PARTITION_KEY,
    SORT_KEY,
    UPCOMING_INDEX,
    UPCOMING_PARTITION_KEY,
    UPCOMING_SORT_KEY,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

Record = dict[str, Any]
Position = dict[str, str]

EVENT_SK = "EVENT"
PROFILE_SK = "PROFILE"
UPCOMING_PARTITION = "EVENTS"
COMMENT_PREFIX = "COMMENT#"
RSVP_PREFIX = "RSVP#"
PREVIEW_SIZE = 20
"""How many newest comments the event item carries, so the first page of comments needs no query."""

BATCH_GET_MAX_KEYS = 100
BATCH_WRITE_MAX_ITEMS = 25
MAX_ATTEMPTS = 10

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

EVENT_FIELDS = (
    "id",
    "title",
    "description",
    "venue",
    "startsAt",
    "endsAt",
    "capacity",
    "attendeeCount",
    "hostId",
    "createdAt",
    "updatedAt",
    "version",
    "commentCount",
    "recentComments",
)


def event_key(event_id: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"EVENT#{event_id}"}, SORT_KEY: {"S": EVENT_SK}}


def user_key(user_id: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"USER#{user_id}"}, SORT_KEY: {"S": PROFILE_SK}}


def comment_key(event_id: str, comment_id: str) -> dict[str, Any]:
    """Comment ids start with their creation time, so the sort key orders comments by age."""
    return {PARTITION_KEY: {"S": f"EVENT#{event_id}"}, SORT_KEY: {"S": f"{COMMENT_PREFIX}{comment_id}"}}


def rsvp_key(event_id: str, user_id: str) -> dict[str, Any]:
    return {PARTITION_KEY: {"S": f"EVENT#{event_id}"}, SORT_KEY: {"S": f"{RSVP_PREFIX}{user_id}"}}


def _plain(value: Any) -> Any:
    """DynamoDB numbers arrive as Decimal; Gather only stores whole numbers."""
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _from_item(item: Mapping[str, Any]) -> Record:
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def _to_item(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in record.items() if v is not None}


def _event_record(item: Mapping[str, Any]) -> Record:
    raw = _from_item(item)
    return {field: raw.get(field) for field in EVENT_FIELDS}


def _position(key: Mapping[str, Any] | None) -> Position | None:
    return None if key is None else {k: v["S"] for k, v in key.items()}


def _start_key(position: Position | None) -> dict[str, Any]:
    return {} if position is None else {"ExclusiveStartKey": {k: {"S": v} for k, v in position.items()}}


def _cancellation_codes(error: ClientError) -> list[str]:
    reasons = error.response.get("CancellationReasons") or []
    return [reason.get("Code", "None") for reason in reasons]


def _backoff(attempt: int) -> None:
    """Full-jitter exponential backoff between retries of a contended write."""
    time.sleep(random.uniform(0, min(0.5, 0.01 * 2**attempt)))


class GatherStore:
    def __init__(self, table_name: str, client: DynamoDBClient | None = None) -> None:
        self.table_name = table_name
        self.client: DynamoDBClient = client or boto3.client(
            "dynamodb", config=Config(retries={"max_attempts": 3, "mode": "standard"})
        )

    # Events ------------------------------------------------------------------------------------

    def get_event(self, event_id: str, *, consistent: bool = False) -> Record | None:
        response = self.client.get_item(TableName=self.table_name, Key=event_key(event_id), ConsistentRead=consistent)
        item = response.get("Item")
        return _event_record(item) if item else None

    def list_upcoming(self, after: str, limit: int, position: Position | None) -> tuple[list[Record], Position | None]:
        response = self.client.query(
            TableName=self.table_name,
            IndexName=UPCOMING_INDEX,
            KeyConditionExpression="#pk = :pk AND #sk >= :after",
            ExpressionAttributeNames={"#pk": UPCOMING_PARTITION_KEY, "#sk": UPCOMING_SORT_KEY},
            ExpressionAttributeValues={":pk": {"S": UPCOMING_PARTITION}, ":after": {"S": after}},
            Limit=limit,
            **_start_key(position),
        )
        events = [_event_record(item) for item in response.get("Items", [])]
        return events, _position(response.get("LastEvaluatedKey"))

    def create_event(self, event: Record, host: Record) -> None:
        item = {
            **event,
            **{k: v["S"] for k, v in event_key(event["id"]).items()},
            UPCOMING_PARTITION_KEY: UPCOMING_PARTITION,
            UPCOMING_SORT_KEY: f"{event['startsAt']}#{event['id']}",
        }
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": _to_item(item),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                self._profile_put(host),
            ]
        )

    def update_event(self, event_id: str, changes: Record, expected_version: int, updated_at: str) -> Record:
        """Applies ``changes`` only if nobody edited the event since ``expected_version``."""
        names: dict[str, str] = {"#version": "version", "#updatedAt": "updatedAt"}
        values: dict[str, Any] = {
            ":expected": {"N": str(expected_version)},
            ":one": {"N": "1"},
            ":updatedAt": {"S": updated_at},
        }
        sets = ["#version = #version + :one", "#updatedAt = :updatedAt"]
        removes = []
        for index, (field, value) in enumerate(sorted(changes.items())):
            names[f"#f{index}"] = field
            if value is None:
                removes.append(f"#f{index}")
            else:
                values[f":f{index}"] = _serializer.serialize(value)
                sets.append(f"#f{index} = :f{index}")
        if "startsAt" in changes:
            names["#upcoming"] = UPCOMING_SORT_KEY
            values[":upcoming"] = {"S": f"{changes['startsAt']}#{event_id}"}
            sets.append("#upcoming = :upcoming")
        condition = "attribute_exists(PK) AND #version = :expected"
        if "capacity" in changes:
            names["#attendeeCount"] = "attendeeCount"
            values[":capacity"] = {"N": str(changes["capacity"])}
            condition += " AND #attendeeCount <= :capacity"
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=event_key(event_id),
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            current = self.get_event(event_id, consistent=True)
            if current is None:
                raise NotFound(f"Event {event_id} does not exist") from None
            if current["version"] != expected_version:
                raise VersionConflict(
                    f"Event {event_id} is at version {current['version']}, not {expected_version}; reload it"
                ) from None
            raise CapacityBelowAttendance(
                f"capacity cannot drop below the {current['attendeeCount']} people already attending"
            ) from None
        return _event_record(response["Attributes"])

    def delete_event(self, event_id: str) -> Record:
        try:
            response = self.client.delete_item(
                TableName=self.table_name,
                Key=event_key(event_id),
                ConditionExpression="attribute_exists(PK)",
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise NotFound(f"Event {event_id} does not exist") from None
            raise
        self._delete_partition(f"EVENT#{event_id}")
        return _event_record(response["Attributes"])

    def _delete_partition(self, partition: str) -> None:
        """Comments and RSVPs of a deleted event are unreachable; remove them so they cost nothing."""
        keys: list[dict[str, Any]] = []
        paginator = self.client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self.table_name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": partition}},
            ProjectionExpression="PK, SK",
        ):
            keys.extend(page.get("Items", []))
        for start in range(0, len(keys), BATCH_WRITE_MAX_ITEMS):
            requests: list[Any] = [
                {"DeleteRequest": {"Key": key}} for key in keys[start : start + BATCH_WRITE_MAX_ITEMS]
            ]
            for attempt in range(MAX_ATTEMPTS):
                response = self.client.batch_write_item(RequestItems={self.table_name: requests})
                requests = list(response.get("UnprocessedItems", {}).get(self.table_name, []))
                if not requests:
                    break
                _backoff(attempt)

    # Seats -------------------------------------------------------------------------------------

    def add_attendee(self, event_id: str, attendee: Record, reserved_at: str) -> None:
        """Takes a seat in one transaction: the RSVP exists if and only if the count includes it."""
        codes = self._transact_or_codes(
            [
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": _to_item(
                            {
                                **{k: v["S"] for k, v in rsvp_key(event_id, attendee["id"]).items()},
                                "userId": attendee["id"],
                                "createdAt": reserved_at,
                            }
                        ),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": event_key(event_id),
                        "UpdateExpression": "SET #count = #count + :one",
                        "ConditionExpression": "attribute_exists(PK) AND #count < #capacity",
                        "ExpressionAttributeNames": {"#count": "attendeeCount", "#capacity": "capacity"},
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
                self._profile_put(attendee),
            ]
        )
        if codes is None:
            return
        if codes[1] == "ConditionalCheckFailed":
            if self.get_event(event_id, consistent=True) is None:
                raise NotFound(f"Event {event_id} does not exist")
            if codes[0] != "ConditionalCheckFailed":
                raise EventFull(f"Event {event_id} is full")
        raise AlreadyRsvped(f"You already have a seat at event {event_id}")

    def remove_attendee(self, event_id: str, user_id: str) -> None:
        codes = self._transact_or_codes(
            [
                {
                    "Delete": {
                        "TableName": self.table_name,
                        "Key": rsvp_key(event_id, user_id),
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": event_key(event_id),
                        "UpdateExpression": "SET #count = #count - :one",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeNames": {"#count": "attendeeCount"},
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
            ]
        )
        if codes is None:
            return
        if codes[1] == "ConditionalCheckFailed":
            raise NotFound(f"Event {event_id} does not exist")
        raise NotRsvped(f"You have no seat at event {event_id} to cancel")

    # Comments ----------------------------------------------------------------------------------

    def add_comment(self, comment: Record, author: Record) -> None:
        """Stores the comment and refreshes the event's preview of newest comments atomically.

        The preview is rewritten under a condition on the comment count it was built from, so two
        writers never lose each other's comment; a writer that loses the race rebuilds and retries.
        """
        event_id = comment["eventId"]
        comment_item = {
            **comment,
            PARTITION_KEY: f"EVENT#{event_id}",
            SORT_KEY: f"{COMMENT_PREFIX}{comment['id']}",
        }
        for attempt in range(MAX_ATTEMPTS):
            event = self.get_event(event_id, consistent=True)
            if event is None:
                raise NotFound(f"Event {event_id} does not exist")
            seen = event.get("commentCount") or 0
            preview = [comment, *(event.get("recentComments") or [])][:PREVIEW_SIZE]
            codes = self._transact_or_codes(
                [
                    {"Put": {"TableName": self.table_name, "Item": _to_item(comment_item)}},
                    {
                        "Update": {
                            "TableName": self.table_name,
                            "Key": event_key(event_id),
                            "UpdateExpression": "SET recentComments = :preview, commentCount = :next",
                            "ConditionExpression": "attribute_exists(PK) AND "
                            + (
                                "commentCount = :seen"
                                if seen
                                else "(attribute_not_exists(commentCount) OR commentCount = :seen)"
                            ),
                            "ExpressionAttributeValues": {
                                ":preview": _serializer.serialize(preview),
                                ":next": {"N": str(seen + 1)},
                                ":seen": {"N": str(seen)},
                            },
                        }
                    },
                    self._profile_put(author),
                ],
                retry_conflicts=False,
            )
            if codes is None:
                return
            _backoff(attempt)
        raise Busy(f"Too many people are commenting on event {event_id} at once; try again")

    def list_comments(
        self, event_id: str, limit: int, position: Position | None
    ) -> tuple[list[Record], Position | None]:
        response = self.client.query(
            TableName=self.table_name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefix)",
            ExpressionAttributeValues={":pk": {"S": f"EVENT#{event_id}"}, ":prefix": {"S": COMMENT_PREFIX}},
            ScanIndexForward=False,
            Limit=limit,
            **_start_key(position),
        )
        comments = [_from_item(item) for item in response.get("Items", [])]
        for comment in comments:
            del comment[PARTITION_KEY], comment[SORT_KEY]
        return comments, _position(response.get("LastEvaluatedKey"))

    @staticmethod
    def comment_position(comment: Record) -> Position:
        """Where a comment sits, so a page cut from the preview continues in the table."""
        return {k: v["S"] for k, v in comment_key(comment["eventId"], comment["id"]).items()}

    def get_comment(self, event_id: str, comment_id: str) -> Record | None:
        item = self.client.get_item(
            TableName=self.table_name, Key=comment_key(event_id, comment_id), ConsistentRead=True
        ).get("Item")
        if not item:
            return None
        comment = _from_item(item)
        del comment[PARTITION_KEY], comment[SORT_KEY]
        return comment

    def delete_comment(self, comment: Record) -> None:
        """Removes the comment and takes it out of the event's preview, atomically (as add_comment)."""
        event_id = comment["eventId"]
        for attempt in range(MAX_ATTEMPTS):
            event = self.get_event(event_id, consistent=True)
            if event is None:
                raise NotFound(f"Event {event_id} does not exist")
            seen = event.get("commentCount") or 0
            preview = [c for c in event.get("recentComments") or [] if c["id"] != comment["id"]]
            codes = self._transact_or_codes(
                [
                    {
                        "Delete": {
                            "TableName": self.table_name,
                            "Key": comment_key(event_id, comment["id"]),
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                    {
                        "Update": {
                            "TableName": self.table_name,
                            "Key": event_key(event_id),
                            "UpdateExpression": "SET recentComments = :preview, commentCount = :next",
                            "ConditionExpression": "attribute_exists(PK) AND commentCount = :seen",
                            "ExpressionAttributeValues": {
                                ":preview": _serializer.serialize(preview),
                                ":next": {"N": str(max(seen - 1, 0))},
                                ":seen": {"N": str(seen)},
                            },
                        }
                    },
                ],
                retry_conflicts=False,
            )
            if codes is None:
                return
            if codes[0] == "ConditionalCheckFailed":
                raise NotFound(f"Comment {comment['id']} does not exist")
            _backoff(attempt)
        raise Busy(f"Too many changes to event {event_id} at once; try again")

    # Users -------------------------------------------------------------------------------------

    def get_users(self, user_ids: Iterable[str]) -> dict[str, Record]:
        """BatchGetItem in chunks of 100, retrying UnprocessedKeys until every key is answered."""
        wanted = list(dict.fromkeys(user_ids))
        found: dict[str, Record] = {}
        for start in range(0, len(wanted), BATCH_GET_MAX_KEYS):
            request: dict[str, Any] = {
                self.table_name: {"Keys": [user_key(uid) for uid in wanted[start : start + BATCH_GET_MAX_KEYS]]}
            }
            for attempt in range(MAX_ATTEMPTS):
                response = self.client.batch_get_item(RequestItems=request)
                for item in response.get("Responses", {}).get(self.table_name, []):
                    user = _from_item(item)
                    found[user["id"]] = {"id": user["id"], "displayName": user["displayName"]}
                request = dict(response.get("UnprocessedKeys") or {})
                if not request:
                    break
                _backoff(attempt)
            else:
                raise Busy("DynamoDB kept keys unprocessed; try again")
        return found

    def _profile_put(self, user: Record) -> dict[str, Any]:
        """Every write by a user refreshes the profile others see, in the same transaction."""
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": _to_item(
                    {
                        **{k: v["S"] for k, v in user_key(user["id"]).items()},
                        "id": user["id"],
                        "displayName": user["displayName"],
                    }
                ),
            }
        }

    # Transactions ------------------------------------------------------------------------------

    def _transact(self, items: Sequence[Any]) -> None:
        codes = self._transact_or_codes(items)
        if codes is not None:
            raise Busy(f"Write refused ({', '.join(codes)}); try again")

    def _transact_or_codes(self, items: Sequence[Any], *, retry_conflicts: bool = True) -> list[str] | None:
        """Runs a transaction; None on success, else each item's cancellation code.

        Conflicts with concurrent transactions are retried here, so callers only see condition failures.
        """
        for attempt in range(MAX_ATTEMPTS):
            try:
                self.client.transact_write_items(TransactItems=list(items))
                return None
            except ClientError as error:
                if error.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                codes = _cancellation_codes(error)
                if "ConditionalCheckFailed" in codes or not retry_conflicts:
                    return codes
            _backoff(attempt)
        raise Busy("Too many simultaneous changes to this event; try again")
