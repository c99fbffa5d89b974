"""Read capacity and Lambda payload sizes at the worst-case data the validation allows.

Every event has every text at its maximum in 4-byte characters (the limits count characters, DynamoDB and
Lambda bytes), the longest time-zone name, every stored count as wide as it gets, and many maximum-length
comments (``benchmarks.common.WORST``). For ``listEvents`` (host, attendeeCount, comments(limit: 3) with
authors) and ``getEvent`` this prints the read units DynamoDB reports (``ReturnConsumedCapacity``) by the
field whose invocation read them and by call; per listed event, the listing's own reads beside the target and
every field's, in all; the round trips and invocations, and the largest invocation payload in either
direction, beside their targets; and the write units of an ``rsvp``.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from benchmarks.common import (
    WORST,
    Measured,
    consumed_capacity,
    figure,
    heading,
    large_counts,
    measured,
    quiet_lambda_logs,
)
from dev_support.cognito_sign_in import id_token
from local_stack.stack import StackOptions, running_stack
from resolvers.api_settings import CONSUMER_PUBLISH_FIELD
from resolvers.identity import Caller
from resolvers.inputs import EventInput
from resolvers.logic import comments, events, seats, validation
from resolvers.payload import PAYLOAD_LIMIT_BYTES
from resolvers.records import EventRecord
from resolvers.store import GatherStore
from resolvers.store.core import read_string
from resolvers.table_definition import SEAT_SORT_PREFIX, user_partition_key

EVENTS = 100
COMMENTS_PER_EVENT = 20
LIMITS = (5, 50, 100)
LIST = """query($limit: Int) {
  listEvents(limit: $limit) {
    items { id title venue startsAt attendeeCount host { displayName }
            comments(limit: 3) { items { content author { displayName } } nextToken } }
    nextToken
  }
}"""
EVERY_COMMENT = """query($limit: Int, $comments: Int) {
  listEvents(limit: $limit) {
    items { id comments(limit: $comments) { items { content author { displayName } } nextToken } }
  }
}"""
"""The most one Event.comments batch can be asked for: a page of events, each with a page of comments."""
RSVP = "mutation($id: ID!) { rsvp(eventId: $id) { id attendeeCount } }"
GET = """query($id: ID!) {
  getEvent(id: $id) {
    id title description venue startsAt attendeeCount host { displayName }
    comments { items { content createdAt author { displayName } } nextToken }
  }
}"""


CONSUMER_PUBLISH = ".".join(CONSUMER_PUBLISH_FIELD)
"""The stream consumer's publishes reach the same handler while a request is measured: not the request's."""
LISTING_PARTS = (
    ("the listing (Query.listEvents: index Query + BatchGetItem)", "Query.listEvents", "(target <= 1)"),
    ("comment previews (Event.comments)", "Event.comments", ""),
    ("hosts (Event.host)", "Event.host", ""),
)
"""What a listed event's reads are spent on, by the field that read; a part no invocation served is left out."""


def _seed(store: GatherStore) -> str:
    """EVENTS events with every text field at its maximum, each with COMMENTS_PER_EVENT maximum-length comments,
    every stored count as wide as it gets; the event returned has one seat left for an rsvp. The counts are
    widened after each event's first comment, so the comments after it are stored (and their heads bounded)
    beside counts as wide as they get."""
    now = datetime.now(UTC)
    event_ids = []
    for n in range(EVENTS):
        host = Caller(f"host-{n % 17}", WORST.text(f"Host {n}", "displayName"))
        start = now + timedelta(days=1, minutes=n)
        fields: EventInput = {
            "title": WORST.text(f"Event {n}", "title"),
            "description": WORST.text(f"About {n}", "description"),
            "venue": WORST.text(f"Venue {n}", "venue"),
            "startsAt": start.isoformat(),
            "endsAt": (start + timedelta(hours=1)).isoformat(),
            "timeZone": WORST.time_zone,
            "capacity": validation.CAPACITY_MAX,
        }
        event_ids.append(events.create_event(store, host, fields, now)["id"])
        _comment(store, event_ids[-1], n, 0, now)
    large_counts(store, seat_free_in=event_ids[-1])
    for n, event_id in enumerate(event_ids):
        for c in range(1, COMMENTS_PER_EVENT):
            _comment(store, event_id, n, c, now)
    return event_ids[-1]


def _comment(store: GatherStore, event_id: str, n: int, c: int, now: datetime) -> None:
    author = Caller(f"author-{(n + c) % 23}", WORST.text(f"Author {c}", "displayName"))
    comments.comment_on_event(store, author, event_id, WORST.text(f"Comment {c}", "content"), now)


def _request_fields(costs: Measured) -> list[str]:
    return sorted({name for name, _ in costs.units} - {CONSUMER_PUBLISH})


def _report(name: str, costs: Measured, listed: int | None = None, limit: int = 0) -> None:
    fields = _request_fields(costs)
    by_call = ", ".join(
        f"{field_name} {operation} {units:g}"
        for (field_name, operation), units in sorted(costs.units.items())
        if field_name in fields
    )
    figure(f"{name}: read units by field and call", by_call)
    if listed is not None:
        per_event = max(listed, 1)
        figure(f"{name}: events returned", str(listed), f"(target {min(limit, EVENTS)})")
        figure(f"{name}: read units per listed event", "")
        for part, field_name, target in LISTING_PARTS:
            if field_name == LISTING_PARTS[0][1] or costs.invocations_by_field[field_name]:
                figure(f"  {part}", f"{costs.read_units(field_name) / per_event:.2f}", target)
        for other in [name for name in fields if name not in {part[1] for part in LISTING_PARTS}]:
            figure(f"  {other}", f"{costs.read_units(other) / per_event:.2f}")
        figure("  in all", f"{costs.read_units(*fields) / per_event:.2f}")
    round_trips = sum(calls for (field_name, _), calls in costs.calls.items() if field_name in fields)
    invocations = sum(
        count for field_name, count in costs.invocations_by_field.items() if field_name != CONSUMER_PUBLISH
    )
    figure(f"{name}: DynamoDB round trips / invocations", f"{round_trips} / {invocations}", "(target <= 4 / <= 4)")
    for direction, sizes in (("request", costs.request_bytes), ("response", costs.response_bytes)):
        (largest, size), *_ = (+sizes).most_common(1)
        figure(
            f"{name}: largest {direction} payload",
            f"{size / 1024:.0f} KB ({largest})",
            f"(target <= {PAYLOAD_LIMIT_BYTES // 1024} KB)",
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
    quiet_lambda_logs()
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
            with measured(runtime) as costs:
                listed = len(ask(LIST, limit=limit)["listEvents"]["items"])
            _report(f"listEvents(limit: {limit})", costs, listed, limit)
        # A signed-in caller's token and identity travel in every event of a batch.
        with measured(runtime) as costs:
            listed = len(ask(LIST, signed_in, limit=max(LIMITS))["listEvents"]["items"])
        _report(f"listEvents(limit: {max(LIMITS)}), signed in", costs, listed, max(LIMITS))
        with measured(runtime) as costs:
            listed_events = ask(EVERY_COMMENT, limit=max(LIMITS), comments=validation.PAGE_MAX)["listEvents"]["items"]
        kept = [len(event["comments"]["items"]) for event in listed_events]
        everything = f"listEvents(limit: {max(LIMITS)}), comments(limit: {validation.PAGE_MAX})"
        figure(f"{everything}: comments per event, fewest / most", f"{min(kept)} / {max(kept)}", "(at least 1)")
        figure(
            f"{everything}: Event.comments response payload",
            f"{costs.response_bytes['Event.comments'] / 1024:.0f} KB",
            f"(target <= {PAYLOAD_LIMIT_BYTES // 1024} KB)",
        )
        with measured(runtime) as costs:
            assert ask(GET, id=event_id)["getEvent"]["id"] == event_id
        _report("getEvent with comments (default limit)", costs)
        with measured(runtime) as costs:
            ask(RSVP, signed_in, id=event_id)
        figure("rsvp: write units", f"{costs.write_units('Mutation.rsvp'):g}", "(target <= 10)")
        _my_rsvps_costs(GatherStore(options.table_name, stack.dynamodb_client()))


if __name__ == "__main__":
    main()
