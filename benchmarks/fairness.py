"""One expensive request beside cheap ones: getEvent latency alone, and while a request runs as many
resolvers as the resolver count limit allows, side by side."""

from __future__ import annotations

import threading
import time

import httpx

from benchmarks.common import figure, heading, median
from local_stack.stack import StackOptions, running_stack
from resolvers.api_settings import RESOLVER_COUNT_LIMIT

SAMPLES = 30
QUERY = "query($id: ID!) { getEvent(id: $id) { id title } }"


def main() -> None:
    heading(f"Fairness  [a {RESOLVER_COUNT_LIMIT}-resolver request must not hold up a plain getEvent]")
    flood = "{ " + " ".join(f'e{n}: getEvent(id: "missing-{n}") {{ id }}' for n in range(RESOLVER_COUNT_LIMIT)) + " }"
    with running_stack(StackOptions(port=0, data_dir=None, table_name="bench-fairness")) as stack:
        http = httpx.Client(base_url=stack.base_url, headers={"x-api-key": stack.api_key}, timeout=60)
        page = http.post("/graphql", json={"query": "{ listEvents(limit: 1) { items { id } } }"}).json()
        event_id = page["data"]["listEvents"]["items"][0]["id"]

        def get_event() -> float:
            started = time.perf_counter()
            body = http.post("/graphql", json={"query": QUERY, "variables": {"id": event_id}}).json()
            assert body["data"]["getEvent"]["id"] == event_id
            return time.perf_counter() - started

        alone = [get_event() for _ in range(SAMPLES)]
        flood_seconds: list[float] = []

        def run_flood() -> None:
            started = time.perf_counter()
            with httpx.Client(base_url=stack.base_url, headers={"x-api-key": stack.api_key}, timeout=120) as other:
                other.post("/graphql", json={"query": flood}).raise_for_status()
            flood_seconds.append(time.perf_counter() - started)

        flooding = threading.Thread(target=run_flood)
        flooding.start()
        during = []
        while flooding.is_alive():
            during.append(get_event())
        flooding.join()
        http.close()
    figure(f"getEvent alone: median of {SAMPLES}", f"{median(alone) * 1000:.1f} ms")
    figure(f"getEvent during the flood: median of {len(during)}", f"{median(during) * 1000:.1f} ms")
    figure(f"the {RESOLVER_COUNT_LIMIT}-resolver request itself", f"{flood_seconds[0] * 1000:.0f} ms")
    figure(
        "ratio during / alone",
        f"{median(during) / median(alone):.1f}x",
        "(a plain request waits for a share, not the flood)",
    )


if __name__ == "__main__":
    main()
