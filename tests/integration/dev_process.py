"""`gather dev` as a child process whose output can be awaited line by line (tests of the real command)."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import boto3

from dev_support.processes import process_tree

READY = "Press Ctrl-C to stop."


class DevProcess:
    def __init__(self, *arguments: str, environment: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        """cwd: the checkout whose `gather dev` runs (with its packages first on PYTHONPATH in ``environment``)."""
        # Any free TLS port unless a test names one: tests run side by side on one machine.
        command = [sys.executable, "-m", "local_stack.cli", "dev", "--workers", "1", "--tls-port", "0", *arguments]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment, cwd=cwd
        )
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._ended = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def wait_for(self, text: str, timeout: float = 90.0) -> str:
        """Blocks until a line containing ``text`` is printed; fails if the output ends or time runs out."""
        while True:
            try:
                line = self._lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no {text!r} within {timeout} s:\n{self.printed}") from None
            if line is None:
                self._ended = True
                raise AssertionError(f"gather dev ended before printing {text!r}:\n{self.printed}")
            self.output.append(line)
            if text in line:
                return line

    def wait_for_end(self, timeout: float = 60.0) -> int:
        status = self.process.wait(timeout=timeout)
        while not self._ended:
            line = self._lines.get(timeout=timeout)
            if line is None:
                self._ended = True
            else:
                self.output.append(line)
        return status

    def stop(self) -> int:
        """Ctrl-C, as a terminal sends it, then the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.wait_for_end()

    @property
    def printed(self) -> str:
        return "".join(self.output)

    def child(self, marker: str) -> int:
        """The pid of the descendant whose command line contains ``marker``."""
        for pid in process_tree(self.process.pid)[1:]:
            if marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                return pid
        raise AssertionError(f"no child process runs {marker}")


def sign_in(stack: dict[str, Any], user: dict[str, Any]) -> str:
    """A demo user's ID token from the local Cognito named in stack.json, as the SPA gets one."""
    client = boto3.client(
        "cognito-idp",
        endpoint_url=stack["auth"]["cognitoEndpoint"],
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    result = client.initiate_auth(
        AuthFlow="USER_PASSWORD_AUTH",
        ClientId=stack["auth"]["userPoolClientId"],
        AuthParameters={"USERNAME": user["username"], "PASSWORD": user["password"]},
    )
    token: str = result["AuthenticationResult"]["IdToken"]
    return token
