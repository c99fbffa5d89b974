"""moto-backed store for fast tests of the logic and data-access layers, and moto's server for code that must
cross a real HTTP connection."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, cast

import boto3
import pytest
from moto import mock_aws
from moto.server import ThreadedMotoServer

from local_stack.local_aws import boto3_credentials
from local_stack.tables import ensure_table
from resolvers import dependencies, settings
from resolvers.identity import Caller
from resolvers.records import EventRecord, UserRecord
from resolvers.store import GatherStore
from tests.unit.appsync_events import InProcessLambda

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
SECRET = b"unit-test-secret"
ADA = Caller("ada", "Ada")
BOB = Caller("bob", "Bob")
HANDLER_TABLE = "gather-handler"
STORE_TABLE = "gather-unit"
ADA_USER = UserRecord(id="ada", displayName="Ada")
SERVED_TABLE = "gather-served"
"""The table in moto's server (``dynamodb_endpoint``)."""


def event_record(event_id: str = "e1", **overrides: Any) -> EventRecord:
    """A valid stored event, written straight through the store (the logic's rules are tested apart)."""
    event = EventRecord(
        id=event_id,
        title="Meetup",
        description=None,
        venue="Hall",
        startsAt="2030-06-01T16:00:00.000Z",
        endsAt="2030-06-01T18:00:00.000Z",
        timeZone="UTC",
        capacity=2,
        attendeeCount=0,
        waitlistCount=0,
        hostId="ada",
        hostName="Ada",
        createdAt="2030-05-01T12:00:00.000Z",
        updatedAt="2030-05-01T12:00:00.000Z",
        version=1,
    )
    return cast("EventRecord", {**event, **overrides})


@pytest.fixture(scope="module")
def moto_account() -> Iterator[None]:
    """One moto account per test module: starting moto costs more than most tests here."""
    with mock_aws():
        yield


@pytest.fixture
def store(moto_account: None) -> Iterator[GatherStore]:
    """An empty table of its own, and a client of its own (tests register hooks on it)."""
    client = boto3.client("dynamodb", region_name="us-east-1")
    ensure_table(client, STORE_TABLE)
    yield GatherStore(STORE_TABLE, client)
    client.delete_table(TableName=STORE_TABLE)


@pytest.fixture(scope="module")
def _handler_environment(moto_account: None) -> Iterator[InProcessLambda]:
    """One warm handler per test module, as one Lambda environment serves many requests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(settings.TABLE_NAME_VARIABLE, HANDLER_TABLE)
        patch.setenv(settings.TOKEN_SECRET_VARIABLE, "in-process-secret")
        settings.token_secret.cache_clear()
        dependencies.store.cache_clear()
        yield InProcessLambda()
        dependencies.store.cache_clear()
        settings.token_secret.cache_clear()


@pytest.fixture
def lambda_api(_handler_environment: InProcessLambda) -> Iterator[InProcessLambda]:
    """The real handler over an empty table of its own, configured as Lambda configures it."""
    client = dependencies.store().client
    ensure_table(client, HANDLER_TABLE)
    yield _handler_environment
    client.delete_table(TableName=HANDLER_TABLE)


@pytest.fixture(scope="module")
def dynamodb_endpoint() -> Iterator[str]:
    """moto's server on loopback, with SERVED_TABLE: DynamoDB calls cross a real HTTP connection.

    Per module: it serves moto's in-process backends, which each module's ``moto_account`` resets."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    ensure_table(boto3.client("dynamodb", endpoint_url=endpoint, **boto3_credentials()), SERVED_TABLE)
    yield endpoint
    server.stop()
