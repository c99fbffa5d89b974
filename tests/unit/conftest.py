"""moto-backed store for fast tests of the logic and data-access layers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import boto3
import pytest
from moto import mock_aws

from local_stack.tables import ensure_table
from resolvers.identity import Caller
from resolvers.store import GatherStore

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
SECRET = b"unit-test-secret"
ADA = Caller("ada", "Ada")
BOB = Caller("bob", "Bob")


@pytest.fixture
def store() -> Iterator[GatherStore]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        ensure_table(client, "gather-unit")
        yield GatherStore("gather-unit", client)
