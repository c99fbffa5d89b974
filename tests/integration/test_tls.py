"""HTTPS and WSS on the test run's stack: the same API and real-time endpoint, with the data dir's CA."""

from __future__ import annotations

import asyncio
import json
import ssl
from typing import Any

import httpx
import pytest
import websockets

from tests.conftest import RunningStack

QUERY = {"query": "{ listEvents(limit: 1) { nextToken } }"}


def _trusting(stack: RunningStack) -> ssl.SSLContext:
    assert stack.stack.tls is not None
    return ssl.create_default_context(cafile=stack.stack.tls.ca_certificate)


def test_https_serves_the_api_to_a_client_that_trusts_the_local_ca(local_stack: RunningStack) -> None:
    response = httpx.post(
        local_stack.stack.https_graphql_url,
        json=QUERY,
        headers={"x-api-key": local_stack.api_key},
        verify=_trusting(local_stack),
    )
    assert response.status_code == 200
    assert set(response.json()) == {"data"}
    assert "nextToken" in response.json()["data"]["listEvents"]
    assert response.http_version == "HTTP/1.1"


def test_a_client_that_does_not_trust_the_local_ca_is_refused_by_its_own_check(local_stack: RunningStack) -> None:
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.post(local_stack.stack.https_graphql_url, json=QUERY, headers={"x-api-key": local_stack.api_key})
    # and the server keeps serving
    test_https_serves_the_api_to_a_client_that_trusts_the_local_ca(local_stack)


async def test_wss_realtime_where_amplify_derives_it(local_stack: RunningStack) -> None:
    """Amplify turns any non-AppSync API URL into wss://<host>/graphql/realtime."""
    url = local_stack.stack.https_graphql_url.replace("https://", "wss://") + "/realtime"
    protocols: Any = ["graphql-ws"]
    headers = {"x-api-key": local_stack.api_key}
    async with websockets.connect(
        url, subprotocols=protocols, additional_headers=headers, ssl=_trusting(local_stack)
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init"}))
        ack = json.loads(await asyncio.wait_for(socket.recv(), 10))
    assert ack == {"type": "connection_ack", "payload": {"connectionTimeoutMs": 300000}}
