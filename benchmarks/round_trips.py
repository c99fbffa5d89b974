"""DynamoDB round trips and handler invocations of one page of events, batched vs per-field.

Both stacks share one DynamoDB Local and one table; the per-field one sets every maxBatchSize to 1,
which is what AppSync does for a resolver without BatchInvoke.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from benchmarks.common import figure, heading, quiet_lambda_logs
from local_stack.stack import StackOptions, running_stack
from mirror.request_log import RequestRecord
from resolvers import dependencies
from resolvers.batching import BATCH_MAX_SIZE
from resolvers.identity import Caller
from resolvers.logic import comments, events
from resolvers.store import GatherStore

QUERY = """query($limit: Int) {
  listEvents(limit: $limit) {
    items { id title startsAt attendeeCount host { displayName }
            comments(limit: 3) { items { content author { displayName } } } }
    nextToken
  }
}"""
LIMITS = (5, 50, 100)


def _seed(store: GatherStore, count: int) -> None:
    now = datetime.now(UTC)
    for n in range(count):
        host = Caller(f"host-{n % 17}", f"Host {n % 17}")
        start = now + timedelta(days=1, minutes=n)
        event = events.create_event(
            store,
            host,
            {
                "title": f"Event {n}",
                "venue": "Hall",
                "startsAt": start.isoformat(),
                "endsAt": (start + timedelta(hours=1)).isoformat(),
                "capacity": 50,
            },
            now,
        )
        for c in range(4):
            author = Caller(f"author-{(n + c) % 23}", f"Author {(n + c) % 23}")
            comments.comment_on_event(store, author, event["id"], f"comment {c}", now + timedelta(seconds=c))


def _measure(base_url: str, api_key: str, requests: list[RequestRecord], limit: int) -> tuple[int, int, int]:
    """Events listed, DynamoDB calls of the (inline) handler's client, and Lambda invocations (as the console
    is told them) of one listEvents request."""
    calls = {"count": 0}

    def count(**_: Any) -> None:
        calls["count"] += 1

    client = dependencies.store().client
    client.meta.events.register("before-send.dynamodb", count)
    response = httpx.post(
        f"{base_url}/graphql",
        json={"query": QUERY, "variables": {"limit": limit}},
        headers={"x-api-key": api_key},
        timeout=60,
    )
    client.meta.events.unregister("before-send.dynamodb", count)
    body = response.json()
    assert "errors" not in body, body["errors"]
    [record] = [r for r in requests if r.request_id == response.headers["x-amzn-RequestId"]]
    return len(body["data"]["listEvents"]["items"]), calls["count"], len(record.invocations)


def main() -> None:
    heading("listEvents with host, attendeeCount and comments(limit: 3)  [target: <= 4 round trips, <= 4 invocations]")
    quiet_lambda_logs()
    requests: list[RequestRecord] = []
    batched_options = StackOptions(
        port=0, data_dir=None, seed=False, inline=True, table_name="bench-round-trips", on_request=requests.append
    )
    with running_stack(batched_options) as batched:
        _seed(GatherStore(batched_options.table_name, batched.dynamodb_client()), max(LIMITS))
        per_field_options = StackOptions(
            port=0,
            data_dir=None,
            seed=False,
            inline=True,
            table_name=batched_options.table_name,
            dynamodb_endpoint=batched.dynamodb_endpoint,
            batch_sizes=dict.fromkeys(BATCH_MAX_SIZE, 1),
            api_key=batched.api_key,
            on_request=requests.append,
        )
        with running_stack(per_field_options) as per_field:
            for limit in LIMITS:
                events_b, trips_b, calls_b = _measure(batched.base_url, batched.api_key, requests, limit)
                events_p, trips_p, calls_p = _measure(per_field.base_url, per_field.api_key, requests, limit)
                assert events_b == events_p == limit
                figure(
                    f"limit {limit}: DynamoDB round trips, batched vs per-field",
                    f"{trips_b} vs {trips_p}",
                    f"({trips_p / trips_b:.0f}x fewer)",
                )
                figure(
                    f"limit {limit}: handler invocations, batched vs per-field",
                    f"{calls_b} vs {calls_p}",
                    f"({calls_p / calls_b:.0f}x fewer)",
                )


if __name__ == "__main__":
    main()
