"""gql clients on the running local stack, acting as a named user or anonymously."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXTransport

from tests.conftest import RunningStack

EVENT_FIELDS = """
  id title description venue startsAt endsAt capacity attendeeCount version createdAt updatedAt
  host { id displayName }
"""


class Api:
    """A gql client as one caller, with helpers that return data or the AppSync errors."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def run(self, document: str, **variables: Any) -> dict[str, Any]:
        result: dict[str, Any] = self.client.execute(GraphQLRequest(document, variable_values=variables))
        return result

    def error(self, document: str, **variables: Any) -> dict[str, Any]:
        """The single error a request fails with (errorType, message, path, ...)."""
        with pytest.raises(TransportQueryError) as raised:
            self.run(document, **variables)
        errors = raised.value.errors or []
        assert len(errors) == 1, errors
        error: dict[str, Any] = errors[0]
        return error

    def create_event(self, **overrides: Any) -> dict[str, Any]:
        event: dict[str, Any] = self.run(
            f"mutation($input: CreateEventInput!) {{ createEvent(input: $input) {{ {EVENT_FIELDS} }} }}",
            input=event_input(**overrides),
        )["createEvent"]
        return event

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        event: dict[str, Any] | None = self.run(
            f"query($id: ID!) {{ getEvent(id: $id) {{ {EVENT_FIELDS} }} }}", id=event_id
        )["getEvent"]
        return event


def event_input(**overrides: Any) -> dict[str, Any]:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    fields: dict[str, Any] = {
        "title": f"Test event {uuid.uuid4().hex[:8]}",
        "description": "Made by a test",
        "venue": "Test hall",
        "startsAt": starts.isoformat().replace("+00:00", "Z"),
        "endsAt": (starts + timedelta(hours=2)).isoformat().replace("+00:00", "Z"),
        "capacity": 10,
    }
    fields.update(overrides)
    return fields


@pytest.fixture(scope="session")
def api_as(local_stack: RunningStack) -> Callable[[str | None], Api]:
    """``api_as("Ada")`` acts as Ada; ``api_as(None)`` has the API key and no user."""

    def make(user: str | None) -> Api:
        transport = HTTPXTransport(url=local_stack.graphql_url, headers=local_stack.headers(user), timeout=30)
        return Api(Client(transport=transport, fetch_schema_from_transport=False))

    return make


@pytest.fixture
def host(api_as: Callable[[str | None], Api]) -> Api:
    return api_as(f"host-{uuid.uuid4().hex[:6]}")


@pytest.fixture
def guest(api_as: Callable[[str | None], Api]) -> Api:
    return api_as(f"guest-{uuid.uuid4().hex[:6]}")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def server_log() -> Iterator[list[logging.LogRecord]]:
    """What the server logs while the test runs (uvicorn's loggers do not propagate to the root)."""
    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("", "uvicorn", "uvicorn.error", "strawberry")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def noisy(records: list[logging.LogRecord]) -> list[str]:
    """Records above a one-line warning: errors, tracebacks, multi-line messages."""
    return [
        record.getMessage()
        for record in records
        if record.levelno > logging.WARNING or record.exc_info or "\n" in record.getMessage()
    ]
