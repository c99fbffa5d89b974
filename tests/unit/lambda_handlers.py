"""Handlers that misbehave on request, for the local Lambda runtime's tests (what Lambda must contain)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import snapshot_restore_py

VERSION = "one"
SERVED: dict[tuple[str, str], int | None] = {("Query", "describe"): None}


def served_fields() -> dict[tuple[str, str], int | None]:
    """This code's registry, as resolvers.api.served_fields is the real handler's."""
    return dict(SERVED)


HOOKS_RUN: list[str] = []
"""The SnapStart hooks this environment has run, in order (``describe`` reports them)."""
BROKEN_HOOK = ""
"""``before-snapshot`` or ``after-restore``: that hook raises (a test rewrites this line and redeploys)."""


def _hook(name: str) -> Any:
    def run() -> None:
        if name == BROKEN_HOOK:
            raise RuntimeError(f"the {name} hook broke")
        HOOKS_RUN.append(name)

    return run


snapshot_restore_py.register_before_snapshot(_hook("before-snapshot"))
snapshot_restore_py.register_after_restore(_hook("after-restore"))


def handler(event: dict[str, Any], context: Any) -> Any:
    action = event["action"]
    if action == "describe":
        print(f"describing {context.aws_request_id}")
        return {
            "version": VERSION,
            "remainingMs": context.get_remaining_time_in_millis(),
            "memoryMb": context.memory_limit_in_mb,
            "pid": os.getpid(),
            "hooks": HOOKS_RUN,
        }
    if action == "sleep":
        time.sleep(event["seconds"])
        return {"slept": event["seconds"]}
    if action == "large":
        return event.get("character", "x") * event["count"]
    if action == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if action == "hold":
        # Opening a FIFO blocks until the test opens its other end: both sides meet on an event, not a timer.
        with open(event["started"], "w") as started:
            started.write("started\n")
        return {"version": VERSION, "release": Path(event["release"]).read_text()}
    raise KeyError(action)
