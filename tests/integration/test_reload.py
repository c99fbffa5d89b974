"""Reload on save, as `gather dev` does it: an edited resolver serves on the next request, an edited schema is
rebuilt, a schema that does not parse is refused while the last good one keeps serving.

This stack runs its Lambda from a copy of ``resolvers/`` (so the test can edit the code) on the session's
DynamoDB Local; every wait is for the reloader's own report, never a timer.
"""

from __future__ import annotations

import asyncio
import queue
import shutil
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from local_stack.console import Console
from local_stack.reloader import Reload
from local_stack.stack import LocalStack, StackOptions, running_stack
from mirror.app import PROJECT_ROOT
from mirror.appsync_sdl import SCHEMA_PATH
from mirror.request_log import RequestRecord
from tests.conftest import TEST_API_KEY, RunningStack
from tests.integration.test_realtime import ON_COMMENT, _comment, _connected, _create_event, _init, _next_not_ka, _start

GET_MISSING = '{ getEvent(id: "no-such-event") { id } }'


class Watched:
    def __init__(self, stack: LocalStack, reloads: queue.Queue[Reload], requests: list[RequestRecord]) -> None:
        self.stack = stack
        self.reloads = reloads
        self.requests = requests

    def graphql(self, query: str) -> dict[str, Any]:
        response = httpx.post(self.stack.graphql_url, json={"query": query}, headers={"x-api-key": TEST_API_KEY})
        body: dict[str, Any] = response.json()
        return body

    def next_reload(self) -> Reload:
        return self.reloads.get(timeout=120)


@pytest.fixture(scope="module")
def watched(local_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Watched]:
    code_dir = tmp_path_factory.mktemp("code")
    shutil.copytree(PROJECT_ROOT / "resolvers", code_dir / "resolvers", ignore=shutil.ignore_patterns("__pycache__"))
    reloads: queue.Queue[Reload] = queue.Queue()
    requests: list[RequestRecord] = []
    options = StackOptions(
        port=0,
        data_dir=None,
        api_key=TEST_API_KEY,
        dynamodb_endpoint=local_stack.stack.dynamodb_endpoint,
        seed=False,
        workers=1,
        code_dir=code_dir,
        reload=True,
        on_reload=reloads.put,
        on_request=requests.append,
    )
    with running_stack(options) as stack:
        yield Watched(stack, reloads, requests)


def test_an_edited_resolver_serves_the_next_request_and_its_failure_is_shown(watched: Watched) -> None:
    assert watched.graphql(GET_MISSING) == {"data": {"getEvent": None}}
    router = watched.stack.options.code_dir / "resolvers" / "routers" / "events.py"
    source = router.read_text()
    router.write_text(source.replace("    return events.get_event(store(), id)", '    raise KeyError("edited")'))

    reload = watched.next_reload()
    assert (reload.what, reload.changed, reload.error) == ("resolvers", ("resolvers/routers/events.py",), None)
    answer = watched.graphql(GET_MISSING)
    assert [error["errorType"] for error in answer["errors"]] == ["KeyError"]

    record = watched.requests[-1]
    assert (record.operation_type, record.error_types) == ("query", ["KeyError"])
    printed: list[str] = []
    Console("normal", printed.append).request(record)
    assert "query (anonymous)" in printed[0]
    assert "Query.getEvent" in printed[0]
    assert "errors: KeyError" in printed[0]
    assert "Traceback" in printed[0]
    assert 'raise KeyError("edited")' in printed[0]

    router.write_text(source)
    assert watched.next_reload().error is None
    assert watched.graphql(GET_MISSING) == {"data": {"getEvent": None}}


def test_a_schema_that_does_not_parse_is_refused_and_a_good_one_is_served(watched: Watched) -> None:
    original = SCHEMA_PATH.read_text()
    description = "{ __schema { queryType { description } } }"
    try:
        SCHEMA_PATH.write_text(original.replace("type Query {", "type Query {{"))
        refused = watched.next_reload()
        assert refused.what == "schema"
        assert refused.error is not None
        assert "Syntax Error" in refused.error
        assert watched.graphql(GET_MISSING) == {"data": {"getEvent": None}}

        SCHEMA_PATH.write_text(original.replace("type Query {", '"""Reloaded."""\ntype Query {'))
        assert watched.next_reload().error is None
        assert watched.graphql(description)["data"]["__schema"]["queryType"]["description"] == "Reloaded."
    finally:
        SCHEMA_PATH.write_text(original)
    assert watched.next_reload().error is None
    assert watched.graphql(description)["data"]["__schema"]["queryType"]["description"] is None


async def test_a_subscription_opened_before_a_schema_reload_receives_what_is_published_after(watched: Watched) -> None:
    client = RunningStack(watched.stack, httpx.Client(timeout=30))
    event_id = await asyncio.to_thread(_create_event, client, "reload-writer")
    original = SCHEMA_PATH.read_text()
    try:
        async with _connected(client) as socket:
            await _init(socket)
            await socket.send(_start(client, "before", ON_COMMENT, {"id": event_id}))
            assert await _next_not_ka(socket) == {"type": "start_ack", "id": "before"}

            SCHEMA_PATH.write_text(original.replace("type Query {", '"""Reloaded."""\ntype Query {'))
            assert (await asyncio.to_thread(watched.next_reload)).error is None
            made = await asyncio.to_thread(_comment, client, "reload-writer", event_id, "after the reload")

            message = await _next_not_ka(socket)
            assert (message["type"], message["id"]) == ("data", "before")
            assert message["payload"]["data"]["onCommentAdded"]["id"] == made["id"]
    finally:
        SCHEMA_PATH.write_text(original)
        client.http.close()
    assert (await asyncio.to_thread(watched.next_reload)).error is None


def test_a_field_the_saved_code_starts_serving_gets_its_resolver_without_a_restart(watched: Watched) -> None:
    """A new registration is a new AppSync resolver once deployed: the mirror serves it from the next request."""
    client = RunningStack(watched.stack, httpx.Client(timeout=30))
    try:
        event_id = _create_event(client, "reload-host")
        venue = f'{{ getEvent(id: "{event_id}") {{ venue }} }}'
        stored = watched.graphql(venue)["data"]["getEvent"]["venue"]
        router = watched.stack.options.code_dir / "resolvers" / "routers" / "events.py"
        source = router.read_text()
        router.write_text(
            source
            + '\n\n@router.resolver(type_name="Event", field_name="venue")\n'
            + 'def venue() -> str:\n    return "Resolved by the saved code"\n'
        )
        assert watched.next_reload().error is None
        assert watched.graphql(venue) == {"data": {"getEvent": {"venue": "Resolved by the saved code"}}}

        router.write_text(source)
        assert watched.next_reload().error is None
        assert watched.graphql(venue) == {"data": {"getEvent": {"venue": stored}}}
    finally:
        client.http.close()
