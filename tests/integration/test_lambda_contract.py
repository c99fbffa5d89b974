"""The local stack's Lambda under load: a killed execution environment is replaced and requests go on."""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from mirror.lambda_runtime import LambdaRuntime, RuntimeNotice
from tests.conftest import RunningStack

UPCOMING = "{ listEvents(limit: 20) { items { id title host { displayName } } } }"


def test_a_worker_killed_under_load_is_replaced_and_requests_go_on(local_stack: RunningStack) -> None:
    runtime: LambdaRuntime = local_stack.stack.app.runtime
    replaced = threading.Event()
    notices: list[RuntimeNotice] = []

    def listen(notice: RuntimeNotice) -> None:
        if notice.kind == "replaced":
            notices.append(notice)
            replaced.set()

    runtime.listeners.append(listen)
    try:
        pids = runtime.environment_pids()
        assert len(pids) == runtime.workers
        victim = pids[0]
        with ThreadPoolExecutor(max_workers=8) as load:
            requests = [load.submit(local_stack.graphql, UPCOMING) for _ in range(60)]
            next(as_completed(requests)).result()  # the load is running
            os.kill(victim, signal.SIGKILL)
            answers: list[dict[str, Any]] = [request.result() for request in requests]
        failed = [answer for answer in answers if "errors" in answer]
        # Only what ran in the killed environment fails, and as Lambda reports a dead runtime.
        assert len(failed) <= 1, failed
        for answer in failed:
            assert {error["errorType"] for error in answer["errors"]} == {"Runtime.ExitError"}
        assert replaced.wait(timeout=60)
        assert notices[0].message.startswith(f"Lambda environment {victim} exited (signal: killed); replaced by ")
        after = runtime.environment_pids()
        assert victim not in after
        assert len(after) == runtime.workers
        assert all("errors" not in local_stack.graphql(UPCOMING) for _ in range(10))
    finally:
        runtime.listeners.remove(listen)
