"""Read capacity and Lambda payload sizes at the worst-case data the validation allows.

Every event has maximum-length text and many maximum-length comments. For ``listEvents`` (host,
attendeeCount, comments(limit: 3) with authors) and ``getEvent`` this prints the read capacity units
DynamoDB reports (``ReturnConsumedCapacity``) by call, the round trips and invocations, and the largest
invocation payload in either direction, beside their targets; and the write units of an ``rsvp``. Text is in
four-byte characters (the limits count characters), so every item and payload is as large as it can be.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from benchmarks.common import consumed_capacity, figure, heading
from dev_support.cognito_sign_in import id_token
from local_stack.stack import StackOptions, running_stack
from mirror.lambda_environment import lambda_json
from resolvers import dependencies
from resolvers.identity import Caller
from resolvers.logic import comments, events, seats, validation
from resolvers.records import EventRecord
from resolvers.store import GatherStore
from resolvers.store.core import read_string
from resolvers.table_definition import SEAT_SORT_PREFIX, user_partition_key

EVENTS = 100
COMMENTS_PER_EVENT = 20
LIMITS = (5, 50, 100)
PAYLOAD_TARGET = 1024 * 1024
LIST = """query($limit: Int) {
  listEvents(limit: $limit) {
    items { id title venue startsAt attendeeCount host { displayName }
            comments(limit: 3) { items { content author { displayName } } nextToken } }
    nextToken
  }
}"""
RSVP = "mutation($id: ID!) { rsvp(eventId: $id) { id attendeeCount } }"
GET = """query($id: ID!) {
  getEvent(id: $id) {
    id title description venue startsAt attendeeCount host { displayName }
    comments { items { content createdAt author { displayName } } nextToken }
  }
}"""


WIDEST = "\U0001f389"
"""A four-byte character in UTF-8, as DynamoDB and Lambda count bytes."""


def _longest(prefix: str, length: int) -> str:
    return (prefix + " " + WIDEST * length)[:length]


def _seed(store: GatherStore) -> str:
    """EVENTS events with every text field at its maximum, each with COMMENTS_PER_EVENT maximum-length comments."""
    now = datetime.now(UTC)
    event_id = ""
    for n in range(EVENTS):
        host = Caller(f"host-{n % 17}", _longest(f"Host {n}", 100))
        start = now + timedelta(days=1, minutes=n)
        event_id = events.create_event(
            store,
            host,
            {
                "title": _longest(f"Event {n}", validation.TITLE_MAX),
                "description": _longest(f"About {n}", validation.DESCRIPTION_MAX),
                "venue": _longest(f"Venue {n}", validation.VENUE_MAX),
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=1)).isoformat(),
                "capacity": 50,
            },
            now,
        )["id"]
        for c in range(COMMENTS_PER_EVENT):
            author = Caller(f"author-{(n + c) % 23}", _longest(f"Author {c}", 100))
            comments.comment_on_event(store, author, event_id, _longest(f"Comment {c}", validation.COMMENT_MAX), now)
    return event_id


@dataclass
class Costs:
    """What one GraphQL request cost: read units by DynamoDB call, round trips, invocations, payload bytes."""

    read_units: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    round_trips: int = 0
    invocations: int = 0
    request_bytes: Counter[str] = field(default_factory=Counter)
    """The largest request payload by field (``Type.field``)."""
    response_bytes: Counter[str] = field(default_factory=Counter)


@contextmanager
def _measured(runtime: Any) -> Iterator[Costs]:
    """Asks DynamoDB for consumed capacity on every call of the (inline) handler's client, and notes every
    invocation's payload sizes, for the duration of the block."""
    costs = Costs()
    client = dependencies.store().client

    def note_capacity(operation: str, units: float) -> None:
        costs.round_trips += 1
        costs.read_units[operation] += units

    original_invoke = runtime.invoke

    async def invoke(event: Any, *args: Any, **kwargs: Any) -> Any:
        result = await original_invoke(event, *args, **kwargs)
        costs.invocations += 1
        first = event[0] if isinstance(event, list) else event
        name = f"{first['info']['parentTypeName']}.{first['info']['fieldName']}"
        costs.request_bytes[name] = max(costs.request_bytes[name], len(lambda_json(event).encode()))
        costs.response_bytes[name] = max(costs.response_bytes[name], len(lambda_json(result).encode()))
        return result

    runtime.invoke = invoke
    try:
        with consumed_capacity(client, note_capacity):
            yield costs
    finally:
        runtime.invoke = original_invoke


def _report(name: str, costs: Costs, listed: int | None = None, limit: int = 0) -> None:
    by_call = ", ".join(f"{call} {units:g}" for call, units in sorted(costs.read_units.items()))
    figure(f"{name}: read units by call", by_call)
    if listed is not None:
        per_event = costs.read_units["Query"] / max(listed, 1)
        figure(f"{name}: events returned", str(listed), f"(target {min(limit, EVENTS)})")
        figure(f"{name}: read units listing events, per event", f"{per_event:.2f}", "(target <= 1)")
        total = sum(costs.read_units.values()) / max(listed, 1)
        figure(f"{name}: read units in all, per event", f"{total:.2f}")
    figure(
        f"{name}: DynamoDB round trips / invocations",
        f"{costs.round_trips} / {costs.invocations}",
        "(target <= 4 / <= 4)",
    )
    for direction, sizes in (("request", costs.request_bytes), ("response", costs.response_bytes)):
        (largest, size), *_ = sizes.most_common(1)
        figure(
            f"{name}: largest {direction} payload",
            f"{size / 1024:.0f} KB ({largest})",
            f"(target <= {PAYLOAD_TARGET // 1024} KB)",
        )


PAST_SEATS = 1_000
UPCOMING_SEATS = 10


def _seat_history(store: GatherStore) -> Caller:
    """A user with PAST_SEATS seats at events long over and UPCOMING_SEATS at events to come."""
    now = datetime.now(UTC)
    user, host = Caller("regular", "A regular"), Caller("organiser", "An organiser")
    starts = [now - timedelta(days=30, hours=n) for n in range(PAST_SEATS)]
    starts += [now + timedelta(days=1 + n) for n in range(UPCOMING_SEATS)]
    for start in starts:
        created_at = start - timedelta(days=7)  # each event was made, and its seat taken, before it began
        fields: Any = {"title": "Meetup", "venue": "Hall", "capacity": 20}
        fields |= {"startsAt": start.isoformat(), "endsAt": (start + timedelta(hours=2)).isoformat()}
        event = events.create_event(store, host, fields, created_at)
        seats.rsvp(store, user, event["id"], created_at)
    return user


def _my_rsvps_costs(store: GatherStore) -> None:
    """myRsvps's reads for a user with a long history, beside reading every seat the user ever held."""
    user = _seat_history(store)
    now = datetime.now(UTC)
    read: dict[str, float] = {}
    calls: Counter[str] = Counter()

    def note(operation: str, units: float) -> None:
        calls[operation] += 1
        read[operation] = read.get(operation, 0.0) + units

    with consumed_capacity(store.client, note):
        page = seats.my_rsvps(store, user, {}, now, b"benchmark")
        one_page = (sum(read.values()), sum(calls.values()))
        read.clear()
        calls.clear()
        every_seat = _every_seat(store, user.user_id)
        all_seats = (sum(read.values()), sum(calls.values()))
    assert len(page["items"]) == UPCOMING_SEATS
    assert len(every_seat) == PAST_SEATS + UPCOMING_SEATS
    history = f"{PAST_SEATS:,} past seats, {UPCOMING_SEATS} upcoming"
    figure(f"myRsvps, {history}: read units / round trips", f"{one_page[0]:g} / {one_page[1]}")
    figure(
        f"  reading every seat held ({len(every_seat):,}), as before: read units / round trips",
        f"{all_seats[0]:g} / {all_seats[1]}  ({all_seats[0] / max(one_page[0], 0.5):.0f}x)",
    )


def _every_seat(store: GatherStore, user_id: str) -> list[EventRecord]:
    """What myRsvps read before the seats index: every seat item of the user, then each of their events."""
    event_ids: list[str] = []
    position = None
    while True:
        items, position = store.table.query_prefix(user_partition_key(user_id), SEAT_SORT_PREFIX, position)
        event_ids.extend(read_string(item, "eventId") for item in items)
        if position is None:
            return store.events.get_many(event_ids)


def main() -> None:
    heading(
        f"Read capacity and payloads at worst-case data: {EVENTS} events at maximum length, "
        f"{COMMENTS_PER_EVENT} maximum-length comments each"
    )
    options = StackOptions(port=0, data_dir=None, seed=False, inline=True, table_name="bench-capacity")
    with running_stack(options) as stack, httpx.Client(base_url=stack.base_url, timeout=120) as http:
        event_id = _seed(GatherStore(options.table_name, stack.dynamodb_client()))
        runtime = stack.app.runtime

        user = stack.cognito.users[0]
        signed_in = {"Authorization": id_token(stack.cognito, user.username, user.password)}

        def ask(query: str, headers: dict[str, str] | None = None, **variables: Any) -> dict[str, Any]:
            body: dict[str, Any] = http.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers=headers or {"x-api-key": stack.api_key},
            ).json()
            assert "errors" not in body, body["errors"]
            data: dict[str, Any] = body["data"]
            return data

        ask(GET, id=event_id)  # the first request warms the handler's clients
        for limit in LIMITS:
            with _measured(runtime) as costs:
                listed = len(ask(LIST, limit=limit)["listEvents"]["items"])
            _report(f"listEvents(limit: {limit})", costs, listed, limit)
        # A signed-in caller's token and identity travel in every event of a batch.
        with _measured(runtime) as costs:
            listed = len(ask(LIST, signed_in, limit=max(LIMITS))["listEvents"]["items"])
        _report(f"listEvents(limit: {max(LIMITS)}), signed in", costs, listed, max(LIMITS))
        with _measured(runtime) as costs:
            assert ask(GET, id=event_id)["getEvent"]["id"] == event_id
        _report("getEvent with comments (default limit)", costs)
        with _measured(runtime) as costs:
            ask(RSVP, signed_in, id=event_id)
        writes = costs.read_units["TransactWriteItems"]
        figure("rsvp: write units (TransactWriteItems)", f"{writes:g}", "(target <= 10)")
        _my_rsvps_costs(GatherStore(options.table_name, stack.dynamodb_client()))


if __name__ == "__main__":
    main()
