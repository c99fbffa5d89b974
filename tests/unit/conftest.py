"""moto-backed store for fast tests of the logic and data-access layers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import boto3
import pytest
from moto import mock_aws

from local_stack.tables import ensure_table
from resolvers import dependencies, settings
from resolvers.identity import Caller
from resolvers.store import GatherStore
from tests.unit.appsync_events import InProcessLambda

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
SECRET = b"unit-test-secret"
ADA = Caller("ada", "Ada")
BOB = Caller("bob", "Bob")
HANDLER_TABLE = "gather-handler"


@pytest.fixture
def store() -> Iterator[GatherStore]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        ensure_table(client, "gather-unit")
        yield GatherStore("gather-unit", client)


@pytest.fixture(scope="module")
def _handler_environment() -> Iterator[InProcessLambda]:
    """One moto account and one warm handler per test module, as one Lambda environment serves many requests."""
    with pytest.MonkeyPatch.context() as patch, mock_aws():
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
