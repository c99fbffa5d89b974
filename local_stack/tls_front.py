"""HTTPS and WSS for the mirror: TLS on a loopback port of its own, relayed byte for byte to the plain listener.

Amplify opens its real-time socket at ``wss://`` whatever the API URL's scheme, so the mirror needs a
TLS endpoint; AWS's clients otherwise need nothing else. Terminating TLS in front of the one uvicorn
server (rather than running a second server on the same app) keeps a single event loop behind both
ports, so subscriptions, the Lambda pool and Ctrl-C work as they do over plain HTTP. The relay runs
on a thread and event loop of its own and understands nothing of HTTP; WebSockets pass through as
the bytes they are.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import threading
from typing import Any

from local_stack.local_tls import TlsFiles

_CHUNK = 65_536


class TlsFront:
    def __init__(self, files: TlsFiles, host: str, port: int, target: tuple[str, int]) -> None:
        self.files = files
        self.target = target
        self._socket = socket.create_server((host, port), reuse_port=False)
        self.port: int = self._socket.getsockname()[1]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="tls-front", daemon=True)
        self._thread.start()
        self._ready.wait(10)

    def stop(self) -> None:
        loop, stopped, self._loop = self._loop, self._stopped, None
        if loop is not None and stopped is not None:
            loop.call_soon_threadsafe(stopped.set)
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self._socket.close()

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.files.certificate, self.files.private_key)
        context.set_alpn_protocols(["http/1.1"])  # what the mirror behind speaks
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(_quiet_handshake_failures)
        self._loop, self._stopped = loop, asyncio.Event()
        server = await asyncio.start_server(self._relay, sock=self._socket, ssl=context)
        self._ready.set()
        async with server:
            await self._stopped.wait()
            server.close()

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.close()
            return
        pumps = [
            asyncio.create_task(_pump(client_reader, upstream_writer)),
            asyncio.create_task(_pump(upstream_reader, client_writer)),
        ]
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pump in pumps:
                pump.cancel()
            for writer in (upstream_writer, client_writer):
                writer.close()
                with contextlib.suppress(OSError, ssl.SSLError, asyncio.CancelledError):
                    await writer.wait_closed()


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, ssl.SSLError, asyncio.IncompleteReadError):
        while data := await reader.read(_CHUNK):
            writer.write(data)
            await writer.drain()


def _quiet_handshake_failures(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """A client that does not trust the CA (yet) fails its handshake: its own error says so, not ours."""
    if isinstance(context.get("exception"), ssl.SSLError | ConnectionResetError):
        return
    loop.default_exception_handler(context)
