"""Session-wide fixtures: fake AWS credentials, one local stack (DynamoDB Local + mirror) and one Chromium per run
(the browser tests drive it, and so does the extending test on its scratch copy)."""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Playwright, async_playwright

from dev_support.chromium import CHROMIUM, CHROMIUM_ARGS
from dev_support.cognito_sign_in import id_token
from local_stack.local_aws import FAKE_CREDENTIALS, LOCAL_REGION

# Tests never reach AWS: fake credentials and a region, set before anything builds a client.
os.environ.update(FAKE_CREDENTIALS, AWS_DEFAULT_REGION=LOCAL_REGION)
os.environ.pop("AWS_SESSION_TOKEN", None)
os.environ.pop("AWS_PROFILE", None)

from local_stack.cognito.passwords import new_password
from local_stack.stack import LocalStack, StackOptions, running_stack
from mirror.event_source_mapping import StreamBatch
from mirror.request_log import RequestRecord

TEST_API_KEY = "da2-test-key-not-secret"


class StreamActivity:
    """The stream consumer's batches and on-failure documents as they happen, for tests that wait on them."""

    def __init__(self) -> None:
        self.batches: list[StreamBatch] = []
        self.failures: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    def batch(self, batch: StreamBatch) -> None:
        with self._changed:
            self.batches.append(batch)
            self._changed.notify_all()

    def failure(self, document: dict[str, Any]) -> None:
        with self._changed:
            self.failures.append(document)
            self._changed.notify_all()

    def wait_until(self, condition: Callable[[], bool], timeout: float = 30.0) -> bool:
        """Re-checks ``condition`` after each batch the consumer finishes; False if it still fails at the timeout."""
        with self._changed:
            return self._changed.wait_for(condition, timeout)


@dataclass
class RunningStack:
    """What tests need to talk to the stack like a client would."""

    stack: LocalStack
    http: httpx.Client
    tokens: dict[str, str] = field(default_factory=dict)
    requests: list[RequestRecord] = field(default_factory=list)
    """What the console is told of each GraphQL request (its invocations, errorTypes), in order."""
    stream: StreamActivity = field(default_factory=StreamActivity)
    """What the console is told of the stream consumer's batches, and what reached the on-failure destination."""

    @property
    def base_url(self) -> str:
        return self.stack.base_url

    @property
    def graphql_url(self) -> str:
        return self.stack.graphql_url

    @property
    def api_key(self) -> str:
        return self.stack.api_key

    def id_token(self, user: str, groups: tuple[str, ...] = ()) -> str:
        """A Cognito ID token for ``user``, who is created in the local user pool on first use."""
        if user not in self.tokens:
            password = new_password()
            self.stack.cognito.create_user(user, password, groups)
            self.tokens[user] = id_token(self.stack.cognito, user, password)
        return self.tokens[user]

    def headers(self, user: str | None = None, groups: tuple[str, ...] = ()) -> dict[str, str]:
        """A signed-in user's Authorization header, or the API key alone."""
        if user:
            return {"Authorization": self.id_token(user, groups)}
        return {"x-api-key": self.api_key}

    def graphql(self, query: str, variables: dict[str, Any] | None = None, user: str | None = None) -> dict[str, Any]:
        """The raw JSON answer, errors included, as a client sees it."""
        response = self.http.post(
            self.graphql_url, json={"query": query, "variables": variables or {}}, headers=self.headers(user)
        )
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture(scope="session")
def local_stack() -> Iterator[RunningStack]:
    requests: list[RequestRecord] = []
    stream = StreamActivity()
    options = StackOptions(
        port=0,
        data_dir=None,
        api_key=TEST_API_KEY,
        workers=4,
        tls_port=0,
        on_request=requests.append,
        on_stream_batch=stream.batch,
        on_stream_failure=stream.failure,
    )
    with running_stack(options) as stack, httpx.Client(timeout=30) as http:
        yield RunningStack(stack, http, requests=requests, stream=stream)


class OpenSubscriptions:
    """The subscriptions the mirror took on during one test and still holds.

    The mirror keeps no count for tests: the fixture below wraps its PubSub's subscribe and unsubscribe
    for the test's duration and watches what passes through."""

    def __init__(self) -> None:
        self._open: set[int] = set()
        self._changed = threading.Condition()

    def _moved(self, subscriber: object, *, opened: bool) -> None:
        with self._changed:
            if opened:
                self._open.add(id(subscriber))
            else:
                self._open.discard(id(subscriber))
            self._changed.notify_all()

    def count(self) -> int:
        with self._changed:
            return len(self._open)

    def wait_for(self, expected: int, timeout: float) -> bool:
        """Blocks (call it from another thread) until exactly ``expected`` remain open; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._open) == expected, timeout)


@pytest.fixture
def open_subscriptions(local_stack: RunningStack, monkeypatch: pytest.MonkeyPatch) -> OpenSubscriptions:
    watched = OpenSubscriptions()
    pubsub = local_stack.stack.app.pubsub
    subscribe, unsubscribe = pubsub.subscribe, pubsub.unsubscribe

    def subscribed(subscriber: Any) -> None:
        subscribe(subscriber)
        watched._moved(subscriber, opened=True)

    def unsubscribed(subscriber: Any) -> None:
        unsubscribe(subscriber)
        watched._moved(subscriber, opened=False)

    monkeypatch.setattr(pubsub, "subscribe", subscribed)
    monkeypatch.setattr(pubsub, "unsubscribe", unsubscribed)
    return watched


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `apt-get install -y chromium` (never `playwright install`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    async with async_playwright() as started:
        yield started


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(playwright: Playwright, chromium_path: Path) -> AsyncIterator[Browser]:
    chromium = await playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        await chromium.close()
