"""Event.comments through the handler at the largest comments the validation allows: a BatchInvoke of a full page
of events answers within one invocation's payload (``PAYLOAD_LIMIT_BYTES``), every page that can keeps at least one
comment, and following the nextTokens goes through every comment once, in the table's order."""

from __future__ import annotations

from typing import Any

from local_stack.tables import ensure_table
from resolvers import dependencies
from resolvers.logic.validation import COMMENT_MAX, DISPLAY_NAME_MAX, PAGE_MAX
from resolvers.payload import PAYLOAD_LIMIT_BYTES, payload_size
from resolvers.records import UserRecord
from resolvers.store import GatherStore
from resolvers.store.comments import PREVIEW_SIZE
from tests.unit.appsync_events import InProcessLambda, field_event
from tests.unit.conftest import ADA_USER, HANDLER_TABLE, event_record

EVENTS = 100
"""A full page of listEvents, and the batch size of Event.comments."""
WIDEST = "\U0001f389"
"""Four bytes in UTF-8 and in the payload."""
ESCAPED = "\x01"
"""One byte in UTF-8 and in DynamoDB, six in the payload's JSON (\\u0001): the most a character can grow there."""
SCRATCH_TABLE = "gather-scratch"
AUTHORS = [UserRecord(id=f"author-{n}", displayName=WIDEST * DISPLAY_NAME_MAX) for n in range(7)]


def _seed(per_event: int, character: str) -> dict[str, list[str]]:
    """EVENTS events with ``per_event`` comments of COMMENT_MAX ``character``s each; their ids, newest first.

    moto copies the whole table for every item of a transaction, so each event is written by the store into a
    scratch table of its own, and its items are then copied into the handler's table in one batch."""
    client = dependencies.store().client
    posted: dict[str, list[str]] = {}
    for n in range(EVENTS):
        event_id = f"event-{n:03d}"
        ensure_table(client, SCRATCH_TABLE)
        scratch = GatherStore(SCRATCH_TABLE, client)
        scratch.events.create(event_record(event_id), ADA_USER)
        posted[event_id] = [
            scratch.comments.add(
                event_id, AUTHORS[(n + c) % len(AUTHORS)], f"{c}" + character * COMMENT_MAX, "2030-05-01T12:00:00.000Z"
            )["id"]
            for c in range(per_event)
        ][::-1]
        items = client.scan(TableName=SCRATCH_TABLE)["Items"]
        for start in range(0, len(items), 25):
            batch: list[Any] = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
            assert not client.batch_write_item(RequestItems={HANDLER_TABLE: batch})["UnprocessedItems"]
        client.delete_table(TableName=SCRATCH_TABLE)
    return posted


def _batch(api: InProcessLambda, wanted: dict[str, str | None], limit: int) -> list[dict[str, Any]]:
    """One BatchInvoke of Event.comments, a page for each event (from its nextToken), checked against the limit."""
    events = [
        field_event(
            "Event",
            "comments",
            {"limit": limit, "nextToken": token},
            source={"id": event_id},
            selection=("items/content", "items/author", "items/author/displayName", "nextToken"),
        )
        for event_id, token in wanted.items()
    ]
    answer: list[dict[str, Any]] = api.invoke(events)
    assert payload_size(answer) <= PAYLOAD_LIMIT_BYTES
    return answer


def _page_through(api: InProcessLambda, event_ids: list[str], limit: int) -> tuple[dict[str, list[str]], int]:
    """Every event's comments, batch after batch as a client follows the nextTokens of a page of events; and how
    many pages came back shorter than asked while more remained."""
    seen: dict[str, list[str]] = {event_id: [] for event_id in event_ids}
    wanted: dict[str, str | None] = dict.fromkeys(event_ids)
    short = 0
    while wanted:
        answer = _batch(api, wanted, limit)
        following: dict[str, str | None] = {}
        for event_id, page in zip(wanted, answer, strict=True):
            seen[event_id] += [comment["id"] for comment in page["items"]]
            assert all(comment["author"] in AUTHORS for comment in page["items"])
            if page["nextToken"] is not None:
                following[event_id] = page["nextToken"]
                short += len(page["items"]) < limit
        wanted = following
    return seen, short


def test_a_full_batch_of_the_longest_comments_keeps_one_or_more_a_page_within_the_payload(
    lambda_api: InProcessLambda,
) -> None:
    posted = _seed(2, WIDEST)
    first = _batch(lambda_api, dict.fromkeys(posted), PAGE_MAX)
    assert all(len(page["items"]) == 1 and page["nextToken"] for page in first), "cut, yet every page moves on"
    seen, short = _page_through(lambda_api, list(posted), PAGE_MAX)
    assert (seen, short) == (posted, EVENTS), "every comment once, newest first"
    # Served from the heads, which hold no comment this long: every teaser is empty, with a nextToken.
    teasers = _batch(lambda_api, dict.fromkeys(posted), PREVIEW_SIZE)
    assert all(page["items"] == [] and page["nextToken"] for page in teasers)
    seen, short = _page_through(lambda_api, list(posted), PREVIEW_SIZE)
    assert (seen, short) == (posted, 2 * EVENTS)


def test_comments_that_grow_most_in_json_still_answer_within_the_payload(lambda_api: InProcessLambda) -> None:
    # 100 such comments are 1.2 MB of JSON: some pages keep none this time, and go on alone.
    posted = _seed(1, ESCAPED)
    answer = _batch(lambda_api, dict.fromkeys(posted), PAGE_MAX)
    kept = [len(page["items"]) for page in answer]
    assert set(kept) == {0, 1}
    assert all(page["nextToken"] for page in answer if not page["items"])
    seen, _ = _page_through(lambda_api, list(posted), PAGE_MAX)
    assert seen == posted
