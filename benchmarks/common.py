"""What every benchmark needs: fake AWS credentials, a way to print a figure, the data profiles measured at,
and what an inline stack's invocations cost."""

from __future__ import annotations

import logging
import math
import os
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import available_timezones

from local_stack.local_aws import FAKE_CREDENTIALS, LOCAL_REGION
from mirror.lambda_runtime import Invocation
from resolvers import dependencies
from resolvers.errors import FieldError
from resolvers.logic import validation
from resolvers.observability import logger
from resolvers.payload import lambda_json
from resolvers.store import GatherStore
from resolvers.store.core import read_string
from resolvers.table_definition import PARTITION_KEY, event_partition_key

# Fake credentials: benchmarks only ever talk to DynamoDB Local on loopback.
os.environ.update(FAKE_CREDENTIALS, AWS_DEFAULT_REGION=LOCAL_REGION)
os.environ.pop("AWS_PROFILE", None)
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def figure(name: str, value: str, target: str = "") -> None:
    print(f"  {name:<58} {value:>22}  {target}", flush=True)


def heading(title: str) -> None:
    print(f"\n{title}", flush=True)


def quiet_lambda_logs() -> None:
    """Warnings and errors only from the handlers: their line per DynamoDB call would bury the figures. Set on
    the inline handler's logger, and by powertools' variable for every Lambda environment started after this."""
    os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
    logger.setLevel(logging.WARNING)


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


@contextmanager
def consumed_capacity(client: Any, note: Callable[[str, float], None]) -> Iterator[None]:
    """For the block, every call of ``client`` asks DynamoDB for its consumed capacity (``ReturnConsumedCapacity``,
    added by a botocore hook here, not by the product), and ``note(operation, units)`` hears each call's."""

    def ask(params: dict[str, Any], **_: Any) -> None:
        params["ReturnConsumedCapacity"] = "TOTAL"

    def answered(parsed: dict[str, Any], model: Any, **_: Any) -> None:
        consumed = parsed.get("ConsumedCapacity") or []
        entries = consumed if isinstance(consumed, list) else [consumed]
        note(model.name, sum(entry.get("CapacityUnits", 0.0) for entry in entries))

    client.meta.events.register("before-parameter-build.dynamodb", ask)
    client.meta.events.register("after-call.dynamodb", answered)
    try:
        yield
    finally:
        client.meta.events.unregister("after-call.dynamodb", answered)
        client.meta.events.unregister("before-parameter-build.dynamodb", ask)


@dataclass(frozen=True)
class Data:
    """One data profile: how long each text is, in which character, and the event's time zone."""

    name: str
    character: str
    lengths: Mapping[validation.TextField, int]
    time_zone: str

    def text(self, label: str, field_name: validation.TextField) -> str:
        length = self.lengths[field_name]
        return (label + " " + self.character * length)[:length]


def longest_time_zone() -> str:
    """The longest IANA zone name (in UTF-8 bytes) the validation accepts, from this machine's tz database."""
    accepted = []
    for name in available_timezones():
        try:
            accepted.append(validation.time_zone(name))
        except FieldError:
            continue
    return max(sorted(accepted), key=lambda name: len(name.encode()))


TYPICAL = Data(
    "typical",
    "a",
    {"title": 40, "venue": 40, "description": 600, "content": 200, "displayName": 16},
    "Europe/Berlin",
)
WORST = Data(
    "worst case (4-byte characters)",
    "\U0001f389",  # four bytes in UTF-8, as DynamoDB and Lambda count bytes; the limits count characters
    validation.TEXT_MAX_LENGTH,
    longest_time_zone(),
)
"""The largest data the validation allows: every text at its maximum in 4-byte characters, the longest zone name."""

LARGE_COUNT = 999_999_999
"""A count no event reaches (people in line, edits, comments): stored numbers as wide as they get."""


def large_counts(store: GatherStore, *, seat_free_in: str) -> None:
    """Every number stored in an event's partition made as wide as it gets, wherever the store keeps it: each
    event full at the largest capacity with LARGE_COUNT people in line, LARGE_COUNT of everything else counted;
    except ``seat_free_in``, which has one seat left and nobody waiting, so an ``rsvp`` can take it."""
    for page in store.client.get_paginator("scan").paginate(TableName=store.table_name):
        for item in page["Items"]:
            partition = read_string(item, PARTITION_KEY)
            if not partition.startswith(event_partition_key("")):
                continue
            full = partition != event_partition_key(seat_free_in)
            widened = {name: _large_count(name, full) for name, value in item.items() if "N" in value}
            if widened:
                store.client.put_item(TableName=store.table_name, Item={**item, **widened})


def _large_count(name: str, full: bool) -> dict[str, str]:
    if name == "capacity":
        return {"N": str(validation.CAPACITY_MAX)}
    if name == "attendeeCount":
        return {"N": str(validation.CAPACITY_MAX if full else validation.CAPACITY_MAX - 1)}
    if name == "waitlistCount" and not full:
        return {"N": "0"}
    return {"N": str(LARGE_COUNT)}


READS = frozenset({"GetItem", "Query", "BatchGetItem", "Scan", "TransactGetItems"})
OUTSIDE_INVOCATIONS = "(no invocation)"


@dataclass
class Measured:
    """What GraphQL requests cost while measured, by the field (``Type.field``) whose invocation made each call:
    DynamoDB units and round trips, invocations, their duration and largest payloads."""

    units: defaultdict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    """Consumed capacity units by (field, DynamoDB operation)."""
    calls: Counter[tuple[str, str]] = field(default_factory=Counter)
    invocations_by_field: Counter[str] = field(default_factory=Counter)
    duration_ms: float = 0.0
    """Lambda duration, each invocation rounded up to the millisecond as Lambda bills it."""
    request_bytes: Counter[str] = field(default_factory=Counter)
    """The largest request payload by field."""
    response_bytes: Counter[str] = field(default_factory=Counter)

    def read_units(self, *fields: str) -> float:
        """Read units of the calls made by ``fields`` (all calls if none is named)."""
        return sum(units for (name, op), units in self.units.items() if op in READS and (not fields or name in fields))

    def write_units(self, *fields: str) -> float:
        return sum(
            units for (name, op), units in self.units.items() if op not in READS and (not fields or name in fields)
        )

    @property
    def read(self) -> float:
        return self.read_units()

    @property
    def write(self) -> float:
        return self.write_units()

    @property
    def round_trips(self) -> int:
        return sum(self.calls.values())

    @property
    def invocations(self) -> int:
        return sum(self.invocations_by_field.values())


@contextmanager
def measured(runtime: Any) -> Iterator[Measured]:
    """For the block, what every invocation of the stack's inline runtime costs: DynamoDB asked for consumed
    capacity on every call of the handler's client, each call put down to the field being resolved (the key
    the handler's log lines carry; inline, one invocation runs at a time), and each invocation's duration
    and payload sizes."""
    costs = Measured()

    def note(operation: str, units: float) -> None:
        resolving = logger.get_current_keys().get("field") or OUTSIDE_INVOCATIONS
        costs.units[resolving, operation] += units
        costs.calls[resolving, operation] += 1

    original = runtime.invoke

    async def invoke(event: Any, record: Callable[[Invocation], None] | None = None) -> Any:
        fields: list[str] = []

        def recorded(invocation: Invocation) -> None:
            fields.append(invocation.field)
            costs.invocations_by_field[invocation.field] += 1
            costs.duration_ms += math.ceil(invocation.duration_ms)
            if record is not None:
                record(invocation)

        result = await original(event, recorded)
        name = fields[0]
        costs.request_bytes[name] = max(costs.request_bytes[name], len(lambda_json(event).encode()))
        costs.response_bytes[name] = max(costs.response_bytes[name], len(lambda_json(result).encode()))
        return result

    runtime.invoke = invoke
    try:
        with consumed_capacity(dependencies.store().client, note):
            yield costs
    finally:
        runtime.invoke = original
