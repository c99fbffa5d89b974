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
from pathlib import Path
from typing import Any

import httpx
import pytest

from local_stack.console import Console
from local_stack.reloader import Reload
from local_stack.stack import LocalStack, StackOptions, running_stack
from mirror.app import PROJECT_ROOT
from mirror.appsync_sdl import SCHEMA_PATH
from mirror.field_accounting import UnaccountedFields
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

    def edit(self, relative: str, old: str, new: str) -> str:
        """Saves the code copy's file with ``old`` replaced; returns the text before, to put back."""
        path = self.stack.options.code_dir / relative
        source = path.read_text()
        assert old in source, relative
        path.write_text(source.replace(old, new, 1))
        return source


@pytest.fixture(scope="module")
def watched(local_stack: RunningStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Watched]:
    code_dir = tmp_path_factory.mktemp("code")
    for package in ("resolvers", "spa_contract"):
        shutil.copytree(PROJECT_ROOT / package, code_dir / package, ignore=shutil.ignore_patterns("__pycache__"))
    reloads: queue.Queue[Reload] = queue.Queue()
    requests: list[RequestRecord] = []
    options = StackOptions(
        port=0,
        data_dir=None,
        api_key=TEST_API_KEY,
        dynamodb_endpoint=local_stack.stack.dynamodb_endpoint,
        table_name="gather-reload",
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


def test_a_query_field_without_a_resolver_is_refused_until_code_serves_it(watched: Watched) -> None:
    """Schema first, then its resolver: the schema alone is refused naming the field; with the resolver saved
    both serve together, and the console says what changed."""
    original = SCHEMA_PATH.read_text()
    router = "resolvers/routers/events.py"
    code = None
    try:
        SCHEMA_PATH.write_text(original.replace("type Query {", "type Query {\n  eventCount: Int!", 1))
        refused = watched.next_reload()
        assert refused.error is not None
        assert "Query.eventCount: no resolver is registered for it" in refused.error
        assert "eventCount" not in str(watched.graphql("{ __schema { queryType { fields { name } } } }"))

        resolver = (
            '@router.resolver(type_name="Query", field_name="eventCount")\ndef event_count() -> int:\n    return 7\n'
        )
        code = watched.edit(router, "router = RecordingRouter()\n", "router = RecordingRouter()\n" + resolver)
        served = watched.next_reload()
        assert served.error is None
        assert "resolver added: Query.eventCount" in served.changes
        assert "schema field added: Query.eventCount" in served.changes
        assert watched.graphql("{ eventCount }") == {"data": {"eventCount": 7}}
    finally:
        SCHEMA_PATH.write_text(original)
        if code is not None:
            watched.next_reload()  # refused: the resolver now names a field the schema lacks
            (watched.stack.options.code_dir / router).write_text(code)
    assert watched.next_reload().error is None
    assert "errors" in watched.graphql("{ eventCount }")


def test_a_resolver_for_a_field_the_schema_lacks_is_refused_and_the_last_deployment_serves(watched: Watched) -> None:
    misspelled = '@router.resolver(type_name="Query", field_name="getEvnt")'
    source = watched.edit(
        "resolvers/routers/events.py", '@router.resolver(type_name="Query", field_name="getEvent")', misspelled
    )
    try:
        refused = watched.next_reload()
        assert refused.error is not None
        assert "Query.getEvnt: a resolver is registered, but Query has no field getEvnt" in refused.error
        assert "Query.getEvent: no resolver is registered for it" in refused.error
        assert watched.graphql(GET_MISSING) == {"data": {"getEvent": None}}
    finally:
        (watched.stack.options.code_dir / "resolvers/routers/events.py").write_text(source)
    assert watched.next_reload().error is None


def test_a_limit_saved_in_the_resolvers_shows_in_config_json_and_a_saved_policy_in_the_header(
    watched: Watched,
) -> None:
    base = watched.stack.base_url
    assert httpx.get(f"{base}/config.json").json()["limits"]["textMaxLength"]["title"] == 200
    source = watched.edit("resolvers/logic/validation.py", "TITLE_MAX = 200", "TITLE_MAX = 23")
    try:
        reload = watched.next_reload()
        assert reload.error is None
        assert "config.json limits.textMaxLength.title: 200 → 23" in reload.changes
        assert httpx.get(f"{base}/config.json").json()["limits"]["textMaxLength"]["title"] == 23
    finally:
        (watched.stack.options.code_dir / "resolvers/logic/validation.py").write_text(source)
    assert watched.next_reload().error is None
    assert httpx.get(f"{base}/config.json").json()["limits"]["textMaxLength"]["title"] == 200

    assert "frame-ancestors 'none'" in httpx.get(f"{base}/").headers["content-security-policy"]
    csp = watched.edit("spa_contract/csp.py", '"frame-ancestors": ["\'none\'"]', '"frame-ancestors": ["\'self\'"]')
    try:
        reload = watched.next_reload()
        assert reload.error is None
        assert "frame-ancestors 'self'" in httpx.get(f"{base}/").headers["content-security-policy"]
        assert any(change.startswith("Content-Security-Policy") for change in reload.changes)
    finally:
        (watched.stack.options.code_dir / "spa_contract/csp.py").write_text(csp)
    assert watched.next_reload().error is None


def test_an_index_saved_in_the_table_definition_reaches_the_table_with_its_items(watched: Watched) -> None:
    client = watched.stack.dynamodb_client()
    table = watched.stack.options.table_name
    key = {"PK": {"S": "EVENT#kept"}, "SK": {"S": "EVENT"}}
    client.put_item(TableName=table, Item={**key, "tag": {"S": "music"}})
    index = "GlobalIndex(UPCOMING_INDEX, UPCOMING_PARTITION_KEY, UPCOMING_SORT_KEY, LISTING_PROJECTION),"
    source = watched.edit("resolvers/table_definition.py", index, index + ' GlobalIndex("ByTag", "tag", "SK"),')
    try:
        reload = watched.next_reload()
        assert reload.error is None
        assert f"table {table}: created index ByTag (tag, SK; projection ALL), items kept" in reload.changes
        found = client.query(
            TableName=table,
            IndexName="ByTag",
            KeyConditionExpression="tag = :tag",
            ExpressionAttributeValues={":tag": {"S": "music"}},
        )
        assert [item["PK"] for item in found["Items"]] == [key["PK"]]
    finally:
        (watched.stack.options.code_dir / "resolvers/table_definition.py").write_text(source)
    removed = watched.next_reload()
    assert f"table {table}: deleted index ByTag" in removed.changes
    assert client.get_item(TableName=table, Key=key)["Item"]["tag"] == {"S": "music"}


def test_gather_dev_refuses_to_start_naming_a_query_field_without_a_resolver(
    local_stack: RunningStack, tmp_path: Path
) -> None:
    shutil.copytree(PROJECT_ROOT / "resolvers", tmp_path / "resolvers", ignore=shutil.ignore_patterns("__pycache__"))
    router = tmp_path / "resolvers" / "routers" / "events.py"
    router.write_text(router.read_text().replace('field_name="getEvent"', 'field_name="getEvents"'))
    stack = LocalStack(
        StackOptions(
            port=0,
            data_dir=None,
            dynamodb_endpoint=local_stack.stack.dynamodb_endpoint,
            table_name="gather-refused",
            seed=False,
            workers=1,
            code_dir=tmp_path,
        )
    )
    try:
        with pytest.raises(UnaccountedFields) as refused:
            stack.prepare()
    finally:
        stack.stop()
    assert refused.value.problems == [
        "Query.getEvents: a resolver is registered, but Query has no field getEvents",
        "Query.getEvent: no resolver is registered for it",
    ]


def test_a_config_key_saved_in_the_spa_contract_is_served_at_once(watched: Watched) -> None:
    """A form that reads a new key finds it in the config.json of the page that loads its new code."""
    base = watched.stack.base_url
    line = '"signUpAttributes": list(SIGN_UP_ATTRIBUTES),'
    source = watched.edit("spa_contract/config_json.py", line, line + ' "tagMaxCount": 5,')
    try:
        reload = watched.next_reload()
        assert reload.error is None
        assert "config.json tagMaxCount: added (5)" in reload.changes
        assert httpx.get(f"{base}/config.json").json()["tagMaxCount"] == 5
    finally:
        (watched.stack.options.code_dir / "spa_contract/config_json.py").write_text(source)
    assert watched.next_reload().changes == ("config.json tagMaxCount: removed",)
