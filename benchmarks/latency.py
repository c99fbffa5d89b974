"""The mirror's getEvent over HTTP against one DynamoDB Local GetItem round trip, side by side."""

from __future__ import annotations

import time

import httpx

from benchmarks.common import figure, heading, percentile
from local_stack.stack import StackOptions, running_stack
from resolvers.store.core import key_item
from resolvers.table_definition import event_key

WARM_UP = 50
SAMPLES = 500
QUERY = "query($id: ID!) { getEvent(id: $id) { id title startsAt capacity attendeeCount } }"


def main() -> None:
    heading("Mirror latency  [target: getEvent p50 <= 3x one DynamoDB Local GetItem]")
    with running_stack(StackOptions(port=0, data_dir=None, table_name="bench-latency")) as stack:
        client = stack.dynamodb_client()
        http = httpx.Client(base_url=stack.base_url, headers={"x-api-key": stack.api_key}, timeout=30)
        page = http.post("/graphql", json={"query": "{ listEvents(limit: 1) { items { id } } }"}).json()
        event_id = page["data"]["listEvents"]["items"][0]["id"]

        def get_item() -> None:
            client.get_item(TableName="bench-latency", Key=key_item(event_key(event_id)))

        def get_event() -> None:
            body = http.post("/graphql", json={"query": QUERY, "variables": {"id": event_id}}).json()
            assert body["data"]["getEvent"]["id"] == event_id

        timings: dict[str, list[float]] = {"GetItem": [], "getEvent": []}
        for _ in range(WARM_UP):
            get_item()
            get_event()
        for _ in range(SAMPLES):  # interleaved, so both see the same machine
            for name, call in (("GetItem", get_item), ("getEvent", get_event)):
                started = time.perf_counter()
                call()
                timings[name].append(time.perf_counter() - started)
        http.close()
    for name, samples in timings.items():
        figure(
            f"{name}: p50 / p99 over {SAMPLES}",
            f"{percentile(samples, 0.5) * 1000:.2f} / {percentile(samples, 0.99) * 1000:.2f} ms",
        )
    ratio = percentile(timings["getEvent"], 0.5) / percentile(timings["GetItem"], 0.5)
    figure("ratio getEvent p50 / GetItem p50", f"{ratio:.2f}x", "(target <= 3.00x)")


if __name__ == "__main__":
    main()
