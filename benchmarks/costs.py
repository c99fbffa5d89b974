"""What each query and mutation costs on AWS, measured: the cost table in the README.

Every operation runs once through the local stack (the same handler as on Lambda) at typical data and at the
worst case the validation allows (every text at its maximum length, in 4-byte characters). For each it prints
the read and write units DynamoDB reports (``ReturnConsumedCapacity``, asked for by a botocore hook on the
handler's client, here and not in the product), beside them the minimum the data model needs (each item the
answer needs read once, eventually consistent, each item the change needs written once, transactions where
atomicity needs them; sizes by DynamoDB's rules from the items stored), the Lambda invocations and their
duration, and the price per million operations.

``python -m benchmarks.costs --readme`` writes the table into README.md between its cost-table markers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import TYPICAL, WORST, Data, Measured, heading, large_counts, measured, quiet_lambda_logs
from dev_support.cognito_sign_in import id_token
from local_stack.stack import StackOptions, running_stack
from resolvers import dependencies
from resolvers.function_settings import MEMORY_MB
from resolvers.identity import Caller
from resolvers.logic import comments, events
from resolvers.store import GatherStore
from resolvers.store.attributes import item_size, read_units, write_units
from resolvers.table_definition import (
    comments_head_key,
    event_counts_key,
    event_details_key,
    event_key,
    rsvp_key,
    seat_key,
    user_key,
)

REGION = "us-east-1"
READ_UNIT_PRICE = 0.125
"""USD per million read request units, DynamoDB on-demand, us-east-1 (since the 2024-11 price cut)."""
WRITE_UNIT_PRICE = 0.625
"""USD per million write request units, DynamoDB on-demand, us-east-1."""
LAMBDA_REQUEST_PRICE = 0.20
"""USD per million Lambda requests, us-east-1."""
LAMBDA_GB_SECOND_PRICE = 0.0000166667
"""USD per GB-second of Lambda duration, x86, us-east-1 (first pricing tier)."""
APPSYNC_REQUEST_PRICE = 4.00
"""USD per million AppSync query and mutation operations."""
EVENTS = 20
COMMENTS_PER_EVENT = 4
HOSTED_ENTRY_WRITE = 1.0
"""Write units of an event's keys-only entry in GSI2 under its host, written when the event is created or deleted."""
README = Path(__file__).resolve().parent.parent / "README.md"
MARKERS = ("<!-- cost-table:start -->", "<!-- cost-table:end -->")

LIST = """query($limit: Int) { listEvents(limit: $limit) { items {
  id title venue startsAt endsAt timeZone capacity attendeeCount host { id displayName }
  comments(limit: 3) { items { id content createdAt author { id displayName } } nextToken } } nextToken } }"""
GET = """query($id: ID!) { getEvent(id: $id) {
  id title description venue startsAt endsAt timeZone capacity attendeeCount version createdAt updatedAt
  host { id displayName } comments { items { id content createdAt author { id displayName } } nextToken } } }"""
LIVE = "id title description venue startsAt endsAt timeZone capacity attendeeCount version"
MY_RSVPS = "query { myRsvps { items { id title venue startsAt attendeeCount host { id displayName } } nextToken } }"
ME = "query { me { id displayName } }"
CREATE = f"mutation($input: CreateEventInput!) {{ createEvent(input: $input) {{ {LIVE} }} }}"
UPDATE = f"mutation($input: UpdateEventInput!) {{ updateEvent(input: $input) {{ {LIVE} }} }}"
RSVP = f"mutation($id: ID!) {{ rsvp(eventId: $id) {{ {LIVE} hasSeat }} }}"
CANCEL = f"mutation($id: ID!) {{ cancelRsvp(eventId: $id) {{ {LIVE} hasSeat }} }}"
COMMENT = """mutation($id: ID!, $content: String!) { commentOnEvent(eventId: $id, content: $content) {
  id eventId content createdAt author { id displayName } } }"""
UNCOMMENT = """mutation($event: ID!, $id: ID!) { deleteComment(eventId: $event, id: $id) {
  id eventId content createdAt author { id displayName } } }"""
RENAME = "mutation($name: String!) { setDisplayName(displayName: $name) { id displayName } }"
DELETE = f"mutation($id: ID!) {{ deleteEvent(id: $id) {{ {LIVE} }} }}"


@dataclass(frozen=True)
class Row:
    data: str
    operation: str
    costs: Measured
    minimum: tuple[float, float]

    def price(self) -> float:
        """USD per million operations: DynamoDB units, Lambda requests and duration, the AppSync request."""
        dynamodb = self.costs.read * READ_UNIT_PRICE + self.costs.write * WRITE_UNIT_PRICE
        gb_seconds = self.costs.duration_ms / 1000 * MEMORY_MB / 1024
        lambda_ = self.costs.invocations * LAMBDA_REQUEST_PRICE + gb_seconds * LAMBDA_GB_SECOND_PRICE * 1_000_000
        return dynamodb + lambda_ + APPSYNC_REQUEST_PRICE


Minimum = tuple[float, float] | Callable[[], tuple[float, float]]
"""Read and write units the data model needs; a callable where they depend on items the operation writes."""


class Sizes:
    """Sizes of the stored items an operation reads or writes, read outside the measurement."""

    def __init__(self, store: GatherStore) -> None:
        self.store = store

    def of(self, key: Any) -> int:
        item = self.store.table.get(key, consistent=True)
        return item_size(item) if item else 0


def _seed(store: GatherStore, data: Data, users: list[Caller]) -> list[str]:
    now = datetime.now(UTC)
    ids = []
    for n in range(EVENTS):
        host = users[n % len(users)]
        start = now + timedelta(days=1, minutes=n)
        event = events.create_event(
            store,
            host,
            {
                "title": data.text(f"Event {n}", "title"),
                "description": data.text(f"About {n}", "description"),
                "venue": data.text(f"Venue {n}", "venue"),
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=2)).isoformat(),
                "timeZone": data.time_zone,
                "capacity": 500,
            },
            now,
        )
        ids.append(event["id"])
        for c in range(COMMENTS_PER_EVENT):
            author = users[(n + c + 1) % len(users)]
            comments.comment_on_event(store, author, event["id"], data.text(f"Comment {c}", "content"), now)
    return ids


@dataclass(frozen=True)
class Edited:
    """Sizes of an event's items (bytes) and the read units of one event's answer, for the edits' minimums."""

    event: int
    counts: int
    details: int
    profile: int
    one_event: float


def _edits(
    data: Data, measure: Callable[[str, Minimum, Callable[[], Any]], Any], ask: Callable[..., Any], sized: Edited
) -> None:
    """createEvent, updateEvent and deleteEvent of a new event."""
    event, counts, details, profile, one_event = (
        sized.event,
        sized.counts,
        sized.details,
        sized.profile,
        sized.one_event,
    )
    start = datetime.now(UTC) + timedelta(days=3)
    new = {
        "title": data.text("New", "title"),
        "description": data.text("New", "description"),
        "venue": data.text("New", "venue"),
        "startsAt": start.isoformat(),
        "endsAt": (start + timedelta(hours=1)).isoformat(),
        "timeZone": data.time_zone,
        "capacity": 20,
    }
    # The listing index copies the event item whole: each write of it writes its index entry too. A created or
    # deleted event also writes its keys-only GSI2 entry under its host (one unit).
    create_writes = (
        write_units(event, transaction=True)
        + write_units(counts, transaction=True)
        + write_units(details, transaction=True)
        + write_units(profile, transaction=True)
        + write_units(event)
        + HOSTED_ENTRY_WRITE
    )
    made = measure("createEvent", (0.0, create_writes), lambda: ask(CREATE, input=new))["createEvent"]
    edit_read = read_units(event) + read_units(counts) + one_event  # the event as it is, then as written
    measure(
        "updateEvent (title)",
        (edit_read, 2 * write_units(event)),
        lambda: ask(UPDATE, input={"id": made["id"], "expectedVersion": 1, "title": data.text("Renamed", "title")}),
    )
    measure(
        "updateEvent (description)",
        (
            edit_read + one_event,  # the details kept of the fields not named
            write_units(event, transaction=True) + write_units(details, transaction=True) + write_units(event),
        ),
        lambda: ask(
            UPDATE,
            input={"id": made["id"], "expectedVersion": 2, "description": data.text("Changed", "description")},
        ),
    )
    measure(
        "deleteEvent (the event and counts items; the consumer removes the rest)",
        (
            one_event,
            write_units(event, transaction=True)
            + write_units(counts, transaction=True)
            + write_units(event)
            + HOSTED_ENTRY_WRITE,
        ),
        lambda: ask(DELETE, id=made["id"]),
    )


def _head_refill(store: GatherStore, event_id: str, comment: int) -> float:
    """Read units of refilling the head after its newest comment went: one page of the comments it holds again
    and the one below them, which did not fit (when the event has more)."""
    refill = min(len(store.comments.head(event_id, consistent=True).newest) + 1, COMMENTS_PER_EVENT)
    return read_units(refill * comment)


def run(data: Data) -> list[Row]:
    options = StackOptions(port=0, data_dir=None, seed=False, inline=True, table_name="bench-costs")
    rows: list[Row] = []
    dependencies.store.cache_clear()  # each profile's stack has its own DynamoDB Local: the handler's client follows
    with running_stack(options) as stack, httpx.Client(base_url=stack.base_url, timeout=120) as http:
        store = GatherStore(options.table_name, stack.dynamodb_client())
        user = stack.cognito.users[0]
        me = Caller(user.sub, user.username)
        others = [Caller(f"person-{n}", data.text(f"Person {n}", "displayName")) for n in range(7)]
        signed_in = {"Authorization": id_token(stack.cognito, user.username, user.password)}

        def ask(query: str, **variables: Any) -> dict[str, Any]:
            body: dict[str, Any] = http.post(
                "/graphql", json={"query": query, "variables": variables}, headers=signed_in
            ).json()
            assert "errors" not in body, body["errors"]
            result: dict[str, Any] = body["data"]
            return result

        ask(RENAME, name=data.text("Me", "displayName"))
        ids = _seed(store, data, [me, *others])
        first = ids[0]
        if data is WORST:
            large_counts(store, seat_free_in=first)
        sizes = Sizes(store)
        event, counts, details, head = (
            sizes.of(k(first)) for k in (event_key, event_counts_key, event_details_key, comments_head_key)
        )
        profile = sizes.of(user_key(me.user_id))
        comment = item_size(store.table.query_prefix(f"EVENT#{first}", "COMMENT#", None, limit=1)[0][0])
        authors = len(others) + 1
        # A listing's teasers are what the heads hold (as many of the newest 3 as fit in one read unit): their
        # authors are read, no others.
        teaser_authors = len({c["authorId"] for head in store.comments.heads(ids).values() for c in head.newest})
        one_event = read_units(event + counts + details)
        """An event with its counts and details, as a mutation's answer reads it (one Query of its partition)."""

        def measure(name: str, minimum: Minimum, action: Callable[[], Any]) -> Any:
            with measured(stack.app.runtime) as costs:
                result = action()
            rows.append(Row(data.name, name, costs, minimum() if callable(minimum) else minimum))
            return result

        ask(GET, id=first)  # warms the handler's clients
        listing_min = (
            read_units(EVENTS * event)  # the listing index's Query: the event items whole, summed over the page
            + EVENTS * read_units(counts)  # no host profile: the event items carry their hosts' names
            + EVENTS * read_units(head)
            + teaser_authors * read_units(profile),
            0.0,
        )
        measure(f"listEvents(limit: {EVENTS}), host, comments(limit: 3)", listing_min, lambda: ask(LIST, limit=EVENTS))
        get_min = (
            one_event  # the host's name included
            + read_units(COMMENTS_PER_EVENT * comment)
            + min(COMMENTS_PER_EVENT, authors) * read_units(profile),
            0.0,
        )
        measure("getEvent, host, comments", get_min, lambda: ask(GET, id=first))
        measure("me", (read_units(profile), 0.0), lambda: ask(ME))

        def seat_writes() -> float:
            """The RSVP, the counts item and the user's seat item in one transaction, and the seat's entry in the
            keys-only seats index (myRsvps) outside it."""
            rsvp, seat = sizes.of(rsvp_key(first, me.user_id)), sizes.of(seat_key(me.user_id, first))
            return (
                write_units(rsvp, transaction=True)
                + write_units(counts, transaction=True)
                + write_units(seat, transaction=True)
                + write_units(seat)  # its keys-only index entry is no larger than the seat item
            )

        measure(
            "rsvp",  # the minimum from the sizes of the items it wrote
            lambda: (read_units(counts) + one_event, seat_writes() + write_units(profile, transaction=True)),
            lambda: ask(RSVP, id=first),
        )
        my_rsvps_min = (
            read_units(sizes.of(seat_key(me.user_id, first)))
            + read_units(event)
            + read_units(counts)  # the host's name on the event item
        )
        measure("myRsvps", (my_rsvps_min, 0.0), lambda: ask(MY_RSVPS))
        measure("cancelRsvp", (one_event, seat_writes()), lambda: ask(CANCEL, id=first))
        comment_writes = (
            write_units(event, transaction=True)  # the condition that the event exists
            + write_units(comment, transaction=True)
            + write_units(head, transaction=True)
            + write_units(profile, transaction=True)
        )
        posted = measure(
            "commentOnEvent",
            (read_units(head), comment_writes),
            lambda: ask(COMMENT, id=first, content=data.text("Another", "content")),
        )["commentOnEvent"]

        measure(
            "deleteComment",
            lambda: (
                read_units(comment)
                + read_units(event)
                + read_units(head)
                + read_units(profile)
                + _head_refill(store, first, comment),
                write_units(comment, transaction=True)
                + write_units(sizes.of(comments_head_key(first)), transaction=True),
            ),
            lambda: ask(UNCOMMENT, event=first, id=posted["id"]),
        )
        renamed_event = 2 * write_units(event)  # the event item and its entry in the listing index, which copies it
        measure(
            f"setDisplayName (then, by the stream consumer, {renamed_event:g} write units per event the user hosts)",
            (0.0, write_units(profile)),
            lambda: ask(RENAME, name=data.text("Me again", "displayName")),
        )
        _edits(data, measure, ask, Edited(event, counts, details, profile, one_event))
    return rows


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| data | operation | read units | minimum | write units | minimum | invocations | Lambda ms "
        "| USD per million |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        read_min, write_min = row.minimum
        lines.append(
            f"| {row.data} | {row.operation} | {row.costs.read:g} | {read_min:g} | {row.costs.write:g} | "
            f"{write_min:g} | {row.costs.invocations} | {row.costs.duration_ms:.0f} | {row.price():.2f} |"
        )
    lines.append("")
    lines.append(
        f"Prices: DynamoDB on-demand in {REGION}, ${READ_UNIT_PRICE} per million read and ${WRITE_UNIT_PRICE} "
        f"per million write request units; Lambda ${LAMBDA_REQUEST_PRICE} per million requests and "
        f"${LAMBDA_GB_SECOND_PRICE} per GB-second at {MEMORY_MB} MB (x86), duration as measured here; AppSync "
        f"${APPSYNC_REQUEST_PRICE:.2f} per million operations. Minimum: each item the answer needs read once, "
        "eventually consistent; each item the change needs written once, in a transaction where atomicity "
        "needs one; item sizes by DynamoDB's rules, from the items stored. DynamoDB Local reports some "
        "transactions below what AWS bills (an rsvp's, for one): where measured writes are below the minimum, "
        "the minimum is the figure to plan with."
    )
    return lines


def main() -> None:
    quiet_lambda_logs()
    heading(f"Cost per operation, measured ({EVENTS} events, {COMMENTS_PER_EVENT} comments each)")
    rows = [row for data in (TYPICAL, WORST) for row in run(data)]
    lines = table(rows)
    print("\n".join(lines), flush=True)
    if "--readme" in sys.argv:
        text = README.read_text(encoding="utf-8")
        start, end = text.index(MARKERS[0]) + len(MARKERS[0]), text.index(MARKERS[1])
        README.write_text(text[:start] + "\n" + "\n".join(lines) + "\n" + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
