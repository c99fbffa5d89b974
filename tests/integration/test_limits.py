"""AppSync's resolver count limit on the running mirror: a flood of aliases runs no more resolvers than it allows."""

from __future__ import annotations

from resolvers.api_settings import RESOLVER_COUNT_LIMIT
from tests.conftest import RunningStack


def test_resolvers_past_the_limit_are_refused_without_running(local_stack: RunningStack) -> None:
    extra = 5
    aliases = [f"e{n}" for n in range(RESOLVER_COUNT_LIMIT + extra)]
    query = "{ " + " ".join(f'{alias}: getEvent(id: "missing-{alias}") {{ id }}' for alias in aliases) + " }"
    response = local_stack.http.post(local_stack.graphql_url, json={"query": query}, headers=local_stack.headers())
    body = response.json()
    [record] = [r for r in local_stack.requests if r.request_id == response.headers["x-amzn-RequestId"]]
    assert len(record.invocations) == RESOLVER_COUNT_LIMIT
    assert all(body["data"][alias] is None for alias in aliases)
    refused = [error for error in body["errors"] if error["errorType"] == "ResolverExecutionLimitReached"]
    assert [error["path"] for error in refused] == [[alias] for alias in aliases[RESOLVER_COUNT_LIMIT:]]
    assert len(body["errors"]) == extra
    # The next request starts its own count.
    assert "errors" not in local_stack.graphql("{ listEvents(limit: 1) { items { id host { id } } } }")
