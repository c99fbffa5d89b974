"""Watches the helper servers `gather dev` started and brings back any that dies.

Each part is watched on a pidfd (the kernel says when the process ends; nothing polls). A part that ends
while the stack is not stopping is reported at once and restarted on the same port and data, because
the Lambda environments and the mirror keep using that endpoint. A part that cannot be restarted ends
the whole stack, with the reason.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    name: str
    pid: Callable[[], int | None]
    """The running process's id; None when none runs."""
    restart: Callable[[], str]
    """Starts the part again on the same port and data; returns where it now listens. Raises if it cannot."""


class Supervisor:
    def __init__(self, parts: list[Part], say: Callable[[str], None], give_up: Callable[[str], None]) -> None:
        """``say`` reports what happened; ``give_up`` is called once with the reason when a part stays down."""
        self.parts = parts
        self.say = say
        self.give_up = give_up
        self._stopping = threading.Event()
        self._wake_read, self._wake_write = os.pipe()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for part in self.parts:
            thread = threading.Thread(target=self._watch, args=(part,), name=f"watch-{part.name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stops watching (before the parts are stopped on purpose); safe to call more than once."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        os.write(self._wake_write, b"x")
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=30)
        os.close(self._wake_read)
        os.close(self._wake_write)

    def _watch(self, part: Part) -> None:
        while not self._stopping.is_set():
            pid = part.pid()
            if pid is None or not self._wait_for_exit(pid):
                return
            if self._stopping.is_set():
                return
            self.say(f"{part.name} stopped unexpectedly; restarting it…")
            try:
                where = part.restart()
            except Exception as error:  # any failure to restart ends the stack, with its reason
                if not self._stopping.is_set():
                    self.give_up(f"{part.name} could not be restarted: {error}")
                return
            self.say(f"{part.name} is back on {where}")

    def _wait_for_exit(self, pid: int) -> bool:
        """True when ``pid`` ended; False when watching stopped first."""
        try:
            descriptor = os.pidfd_open(pid)
        except ProcessLookupError:
            return True
        try:
            readable, _, _ = select.select([descriptor, self._wake_read], [], [])
        finally:
            os.close(descriptor)
        return descriptor in readable and not self._stopping.is_set()
