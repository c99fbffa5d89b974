"""Delivery latency of a comment to 100 subscribers over AppSync's protocol, from the mutation's response."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import httpx
import websockets

from benchmarks.common import figure, heading, percentile
from dev_support.cognito_sign_in import id_token
from local_stack.stack import StackOptions, running_stack

SUBSCRIBERS = 100
COMMENTS = 30
SUBSCRIBE = "subscription($id: ID!) { onCommentAdded(eventId: $id) { id content } }"
COMMENT = "mutation($id: ID!, $c: String!) { commentOnEvent(eventId: $id, content: $c) { id eventId content } }"
CREATE = "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }"


async def _subscriber(
    url: str, auth: dict[str, str], event_id: str, ready: asyncio.Event, arrivals: list[dict[str, float]]
) -> Any:
    header = base64.b64encode(json.dumps(auth).encode()).decode()
    protocols: Any = ["graphql-ws"]
    socket = await websockets.connect(f"{url}?header={header}&payload=e30=", subprotocols=protocols)
    await socket.send(json.dumps({"type": "connection_init"}))
    start = {
        "id": "1",
        "type": "start",
        "payload": {
            "data": json.dumps({"query": SUBSCRIBE, "variables": {"id": event_id}}),
            "extensions": {"authorization": auth},
        },
    }
    await socket.send(json.dumps(start))
    received: dict[str, float] = {}
    arrivals.append(received)

    async def listen() -> None:
        async for raw in socket:
            message = json.loads(raw)
            if message["type"] == "start_ack":
                ready.set()
            elif message["type"] == "data":
                received[message["payload"]["data"]["onCommentAdded"]["content"]] = time.perf_counter()

    return socket, asyncio.create_task(listen())


async def _run(stack: Any) -> list[float]:
    user = stack.cognito.users[0]
    token = id_token(stack.cognito, user.username, user.password)
    http = httpx.AsyncClient(headers={"Authorization": token}, timeout=30)
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    event = await http.post(
        stack.graphql_url,
        json={
            "query": CREATE,
            "variables": {
                "input": {
                    "title": "Benchmark",
                    "venue": "Loopback",
                    "capacity": 5,
                    "startsAt": starts.isoformat(),
                    "endsAt": (starts + timedelta(hours=1)).isoformat(),
                }
            },
        },
    )
    event_id = event.json()["data"]["createEvent"]["id"]
    auth = {"host": urlparse(stack.graphql_url).netloc, "x-api-key": stack.api_key}
    url = stack.graphql_url.replace("http://", "ws://")
    arrivals: list[dict[str, float]] = []
    readies = [asyncio.Event() for _ in range(SUBSCRIBERS)]
    connections = [await _subscriber(url, auth, event_id, ready, arrivals) for ready in readies]
    await asyncio.gather(*(ready.wait() for ready in readies))
    latencies: list[float] = []
    for n in range(COMMENTS):
        text = f"comment {n}"
        response = await http.post(stack.graphql_url, json={"query": COMMENT, "variables": {"id": event_id, "c": text}})
        answered = time.perf_counter()
        assert "errors" not in response.json()
        while not all(text in received for received in arrivals):
            await asyncio.sleep(0.001)  # the benchmark's own clock: wait for every subscriber to have it
        latencies.extend(max(0.0, received[text] - answered) for received in arrivals)
    for socket, listener in connections:
        listener.cancel()
        await socket.close()
    await http.aclose()
    return latencies


def main() -> None:
    heading(f"Real-time delivery to {SUBSCRIBERS} subscribers on loopback (figures, not targets)")
    with running_stack(StackOptions(port=0, data_dir=None, seed=False, table_name="bench-realtime")) as stack:
        latencies = asyncio.run(_run(stack))
    figure(
        f"mutation response -> subscriber receipt, {COMMENTS} comments",
        f"p50 {percentile(latencies, 0.5) * 1000:.1f} ms",
    )
    figure("", f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
