"""Memory of a running `gather dev` (mirror, Lambda environments, DynamoDB Local) over 10,000 requests."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from benchmarks.common import figure, heading
from dev_support.processes import process_tree
from local_stack.dynamodb_local import free_loopback_port

WARM_UP = 1_000
REQUESTS = 10_000
CONCURRENCY = 8
LIST = "{ listEvents(limit: 5) { items { id title host { displayName } comments(limit: 3) { items { content } } } } }"
GET = "query($id: ID!) { getEvent(id: $id) { id title attendeeCount } }"


def _rss_bytes(pid: int) -> int:
    total = 0
    for member in process_tree(pid):
        for line in Path(f"/proc/{member}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


async def _load(base_url: str, api_key: str, count: int, event_id: str) -> None:
    async with httpx.AsyncClient(base_url=base_url, headers={"x-api-key": api_key}, timeout=60) as http:
        remaining = iter(range(count))

        async def worker() -> None:
            for n in remaining:
                body = {"query": LIST} if n % 2 else {"query": GET, "variables": {"id": event_id}}
                answer = (await http.post("/graphql", json=body)).json()
                assert "errors" not in answer, answer

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


def main() -> None:
    heading(f"Memory over {REQUESTS:,} requests  [target: growth <= 20%]")
    with tempfile.TemporaryDirectory() as data_dir:
        port = free_loopback_port()
        stack = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "local_stack.cli",
                "dev",
                "--port",
                str(port),
                "--tls-port",
                "0",
                "--data-dir",
                data_dir,
                "--quiet",  # no console line per request: the figure is the stack's memory, not its log's
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert stack.stdout is not None
            for line in stack.stdout:  # the CLI prints "Press Ctrl-C to stop." once it serves
                if "Ctrl-C" in line:
                    break
            # Keep reading what it prints, or a full pipe would stall the stack mid-request.
            threading.Thread(target=stack.stdout.read, daemon=True).start()
            info = json.loads((Path(data_dir) / "stack.json").read_text())
            with httpx.Client(base_url=info["baseUrl"], headers={"x-api-key": info["apiKey"]}) as http:
                event_id = http.post("/graphql", json={"query": LIST}).json()["data"]["listEvents"]["items"][0]["id"]
            asyncio.run(_load(info["baseUrl"], info["apiKey"], WARM_UP, event_id))
            before = _rss_bytes(stack.pid)
            started = time.perf_counter()
            asyncio.run(_load(info["baseUrl"], info["apiKey"], REQUESTS, event_id))
            elapsed = time.perf_counter() - started
            after = _rss_bytes(stack.pid)
        finally:
            stack.send_signal(signal.SIGINT)
            stack.wait(timeout=30)
    figure(f"stack RSS after {WARM_UP:,} warm-up requests", f"{before / 2**20:.0f} MiB")
    figure(f"stack RSS after {REQUESTS:,} more", f"{after / 2**20:.0f} MiB", f"({REQUESTS / elapsed:.0f} req/s)")
    figure("growth", f"{(after - before) / before * 100:+.1f}%", "(target <= +20%)")


if __name__ == "__main__":
    main()
