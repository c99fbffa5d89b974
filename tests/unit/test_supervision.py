"""The supervisor on real child processes: a death is reported and restarted; a failed restart gives up."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from local_stack.processes import wait_for_exit
from local_stack.supervision import Part, Supervisor

WAIT = 30.0


class _Child:
    """A stand-in server: a sleeping Python process, restarted as a new one."""

    def __init__(self) -> None:
        self.process = self._spawn()
        self.restarts = 0
        self.restarted = threading.Event()

    @staticmethod
    def _spawn() -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])

    def pid(self) -> int | None:
        return self.process.pid

    def restart(self) -> str:
        self.process.wait()
        self.process = self._spawn()
        self.restarts += 1
        self.restarted.set()
        return f"pid {self.process.pid}"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def child() -> Iterator[_Child]:
    made = _Child()
    yield made
    made.stop()


def test_a_dead_part_is_reported_and_restarted(child: _Child) -> None:
    said: list[str] = []
    back = threading.Event()

    def say(message: str) -> None:
        said.append(message)
        if "is back" in message:
            back.set()

    supervisor = Supervisor([Part("The stand-in", child.pid, child.restart)], say, say)
    supervisor.start()
    try:
        first = child.process.pid
        os.kill(first, signal.SIGKILL)
        assert back.wait(WAIT)
        assert said == [
            "The stand-in stopped unexpectedly; restarting it…",
            f"The stand-in is back on pid {child.process.pid}",
        ]
        assert child.process.pid != first
    finally:
        supervisor.stop()
    assert child.restarts == 1


def test_stopping_on_purpose_is_not_a_death(child: _Child) -> None:
    said: list[str] = []
    supervisor = Supervisor([Part("The stand-in", child.pid, child.restart)], said.append, said.append)
    supervisor.start()
    supervisor.stop()
    child.stop()
    assert wait_for_exit(child.process.pid, WAIT)
    assert said == []
    assert child.restarts == 0


def test_a_part_that_cannot_restart_gives_up_with_the_reason(child: _Child) -> None:
    reasons: list[str] = []
    gave_up = threading.Event()

    def cannot_restart() -> str:
        raise RuntimeError("port 1234 is already in use")

    def give_up(reason: str) -> None:
        reasons.append(reason)
        gave_up.set()

    supervisor = Supervisor([Part("The stand-in", child.pid, cannot_restart)], lambda _: None, give_up)
    supervisor.start()
    try:
        os.kill(child.process.pid, signal.SIGKILL)
        assert gave_up.wait(WAIT)
    finally:
        supervisor.stop()
    assert reasons == ["The stand-in could not be restarted: port 1234 is already in use"]
