"""Records to items and back: every type a record may declare round-trips through DynamoDB (moto) unchanged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

import pytest

from resolvers.records import CommentRecord
from resolvers.store import GatherStore
from resolvers.store.attributes import MissingAttribute, _plain, attribute, item_of, record_of
from resolvers.store.core import key_item
from resolvers.table_definition import ItemKey, event_key
from tests.unit.conftest import event_record


class Place(TypedDict):
    name: str
    seats: int


class EveryKind(TypedDict):
    text: str
    whole: int
    fraction: float
    flag: bool
    raw: bytes
    tags: list[str]
    scores: list[int]
    codes: set[str]
    weights: dict[str, float]
    place: Place
    places: list[Place]
    maybe: str | None
    maybe_number: int | None


SAMPLE = EveryKind(
    text="Grüße, 👋",
    whole=12,
    fraction=0.1,
    flag=True,
    raw=b"\x00\xff",
    tags=["b", "a", "b"],
    scores=[3, -1, 10**20],
    codes={"x", "y"},
    weights={"a": 1.5, "b": -0.25},
    place=Place(name="Hall", seats=40),
    places=[Place(name="A", seats=1), Place(name="B", seats=2)],
    maybe=None,
    maybe_number=7,
)
KEY = ItemKey("TEST#1", "KINDS")


def test_every_declared_type_round_trips_through_dynamodb(store: GatherStore) -> None:
    store.client.put_item(TableName=store.table_name, Item={**key_item(KEY), **item_of(SAMPLE)})
    item = store.table.get(KEY, consistent=True)
    assert item is not None
    read = record_of(EveryKind, item)
    assert read == SAMPLE
    assert [type(read[name]) for name in ("whole", "fraction", "raw")] == [int, float, bytes]
    assert type(read["place"]["seats"]) is int
    assert "maybe" not in item, "a None field is left out, not stored as NULL"


def test_reading_takes_only_the_declared_fields() -> None:
    item = {**key_item(KEY), **item_of(SAMPLE), "GSI1PK": {"S": "EVENTS"}}
    assert set(record_of(EveryKind, item)) == set(EveryKind.__annotations__)


def test_a_missing_required_field_is_named_and_a_default_stands_in() -> None:
    item = item_of(CommentRecord(id="1", eventId="e", authorId="a", content="hi", createdAt="t"))
    del item["content"]
    with pytest.raises(MissingAttribute, match=r"CommentRecord\.content"):
        record_of(CommentRecord, item)
    assert record_of(CommentRecord, item, {"content": ""})["content"] == ""


def test_an_optional_field_absent_reads_as_none() -> None:
    assert record_of(EveryKind, item_of(SAMPLE))["maybe"] is None


def test_values_take_dynamodbs_own_types() -> None:
    assert attribute("x") == {"S": "x"}
    assert attribute(3) == {"N": "3"}
    assert attribute(0.1) == {"N": "0.1"}
    assert attribute(["a", 1]) == {"L": [{"S": "a"}, {"N": "1"}]}
    assert attribute({"a": None, "b": True}) == {"M": {"b": {"BOOL": True}}}


def test_an_edit_stores_each_value_as_its_type(store: GatherStore) -> None:
    """The update path serializes as create does: an int is a number, text is text (never a Python repr)."""
    event = event_record(description="About", capacity=5)
    store.events.create(event, {"id": "ada", "displayName": "Ada"})
    updated = store.events.update("e1", {"capacity": 9, "title": "Ünïcode", "description": None}, 1, "later")
    raw = store.table.get(event_key("e1"), consistent=True)
    assert raw is not None
    assert (raw["capacity"], raw["title"], "description" in raw) == ({"N": "9"}, {"S": "Ünïcode"}, False)
    assert updated == {
        **event,
        "capacity": 9,
        "title": "Ünïcode",
        "description": None,
        "version": 2,
        "updatedAt": "later",
    }


def test_the_wire_format_is_boto3s() -> None:
    """The store writes and reads DynamoDB's wire format itself, so boto3 stays out of the functions' cold start:
    every kind of value is written as boto3's TypeSerializer writes it and read as its TypeDeserializer reads it."""
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    def as_boto3_takes_it(value: Any) -> Any:  # boto3 refuses floats; the store sends them as exact decimals
        if isinstance(value, float):
            return Decimal(repr(value))
        if isinstance(value, dict):
            return {key: as_boto3_takes_it(entry) for key, entry in value.items()}
        if isinstance(value, list):
            return [as_boto3_takes_it(entry) for entry in value]
        return value

    values = {
        **SAMPLE,
        "none": None,
        "numbers": {1, 2},
        "blobs": {b"a", b"b"},
        "wide": 10**37,
        "exact": Decimal("-1.5"),
    }
    for name, value in values.items():
        wire = TypeSerializer().serialize(as_boto3_takes_it(value))
        assert attribute(value) == wire, name
        assert _plain(wire) == TypeDeserializer().deserialize(wire), name  # boto3's Binary equals its bytes
    for refused in (float("nan"), set(), {1, "a"}, 10**40 + 1, object()):
        with pytest.raises((TypeError, ArithmeticError)):
            attribute(refused)
