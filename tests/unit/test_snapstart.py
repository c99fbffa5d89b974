"""Gather's SnapStart hooks, in process over moto's server: what priming builds, what a restored copy renews."""

from __future__ import annotations

import logging
import random
import socket
from collections.abc import Iterator

import pytest

from local_stack.local_aws import FAKE_CREDENTIALS, LOCAL_REGION
from resolvers import dependencies, settings, snapstart
from tests.unit.conftest import SERVED_TABLE

NEW_CONNECTION = "Starting new HTTP connection"
"""What urllib3 logs (DEBUG, ``urllib3.connectionpool``) each time botocore opens a connection."""


def _use_dynamodb(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """A fresh execution environment's settings: nothing built yet."""
    for name, value in {**FAKE_CREDENTIALS, "AWS_DEFAULT_REGION": LOCAL_REGION}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
    monkeypatch.setenv(settings.TABLE_NAME_VARIABLE, SERVED_TABLE)
    monkeypatch.setenv(settings.TOKEN_SECRET_VARIABLE, "snapstart-test")
    dependencies.store.cache_clear()
    settings.token_secret.cache_clear()


@pytest.fixture
def environment(dynamodb_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    _use_dynamodb(monkeypatch, dynamodb_endpoint)
    yield
    dependencies.store().client.close()
    dependencies.store.cache_clear()
    settings.token_secret.cache_clear()


def _connections_opened(caplog: pytest.LogCaptureFixture) -> int:
    opened = sum(NEW_CONNECTION in record.getMessage() for record in caplog.records)
    caplog.clear()
    return opened


@pytest.mark.usefixtures("environment")
def test_priming_makes_the_first_request_and_a_restored_copy_opens_its_own_connection(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="urllib3.connectionpool")
    snapstart.prime()
    assert _connections_opened(caplog) == 1  # the priming read went out
    assert dependencies.store().events.get(snapstart.PRIMING_EVENT_ID) is None
    assert _connections_opened(caplog) == 0  # before a snapshot, the connection is reused
    snapstart.renew()
    assert dependencies.store().events.get(snapstart.PRIMING_EVENT_ID) is None
    assert _connections_opened(caplog) == 1  # after a restore, the snapshot's connection is not


@pytest.mark.usefixtures("environment")
def test_copies_restored_from_one_snapshot_draw_their_own_backoff_jitter() -> None:
    snapstart.prime()
    snapshot = random.getstate()
    draws = []
    for _ in range(2):
        random.setstate(snapshot)  # one more copy resumes from the same memory
        snapstart.renew()
        draws.append([random.random() for _ in range(3)])
    assert draws[0] != draws[1]


def test_a_table_out_of_reach_does_not_fail_priming(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Publishing a version must not fail because DynamoDB did not answer its priming read."""
    with socket.socket() as closed:  # bound, never listening: connections are refused at once
        closed.bind(("127.0.0.1", 0))
        _use_dynamodb(monkeypatch, f"http://127.0.0.1:{closed.getsockname()[1]}")
        try:
            snapstart.prime()
        finally:
            dependencies.store.cache_clear()
            settings.token_secret.cache_clear()
    assert [(record.levelname, record.getMessage()) for record in caplog.records][-1] == (
        "WARNING",
        "Priming read failed",
    )
