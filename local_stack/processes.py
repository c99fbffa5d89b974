"""Stopping the helper servers the local stack starts (DynamoDB Local, the local Cognito)."""

from __future__ import annotations

import os
import select
import signal
import subprocess


def terminate_group(process: subprocess.Popen[str], grace_seconds: float) -> None:
    """SIGTERM the process group (each server leads its own session), SIGKILL after the grace, then reap."""
    if process.poll() is None:
        # Only signalled while the leader is unreaped, so the group id cannot have been reused.
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process: subprocess.Popen[str], signum: signal.Signals) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        return
    except PermissionError:
        process.send_signal(signum)


def wait_for_exit(pid: int, timeout: float) -> bool:
    """Blocks on a pidfd (an event, not a polling loop) until ``pid`` ends; False if it outlives ``timeout``."""
    try:
        descriptor = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        readable, _, _ = select.select([descriptor], [], [], timeout)
    finally:
        os.close(descriptor)
    return bool(readable)
