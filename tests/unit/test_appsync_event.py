"""The direct-Lambda event the mirror builds for a field, read back through powertools as the handler reads it."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes.appsync_resolver_event import (
    AppSyncIdentityCognito,
    AppSyncResolverEvent,
)
from graphql import GraphQLResolveInfo, graphql_sync

from mirror.appsync_sdl import appsync_schema
from mirror.authorization import API_KEY, COGNITO
from mirror.identity import cognito_identity
from mirror.request_auth import Authenticated
from mirror.resolution import Batcher, RequestContext, appsync_event

QUERY = """
query Page($id: ID!, $limit: Int) {
  getEvent(id: $id) {
    id
    ...Seats
    comments(limit: $limit) { items { content author { displayName } } }
  }
}
fragment Seats on Event { capacity attendeeCount __typename }
"""


class NoLambda:
    async def invoke(self, event: Any) -> Any:
        raise AssertionError("building an event invokes nothing")


def built_event(field: str, auth: Authenticated, source: Any = None, **variables: Any) -> dict[str, Any]:
    """Runs QUERY on the schema, building the event when graphql-core resolves ``field``."""
    context = RequestContext(
        headers={"host": "api.example", "x-api-key": "da2-key"},
        domain_name="api.example",
        auth=auth,
        invoker=NoLambda(),
        batcher=Batcher(NoLambda(), {}),
    )
    built: dict[str, Any] = {}

    def resolve(root: Any, info: GraphQLResolveInfo[Any], **_: Any) -> Any:
        if info.field_name == field and not built:
            built.update(appsync_event(info, source, context))
        if info.field_name == "getEvent":
            return {"id": "e1", "capacity": 5, "attendeeCount": 1, "comments": {"items": []}}
        return root.get(info.field_name) if isinstance(root, dict) else None

    result = graphql_sync(
        appsync_schema(), QUERY, variable_values=variables, context_value=context, field_resolver=resolve
    )
    assert result.errors is None, result.errors
    return built


def test_a_root_field_with_the_api_key() -> None:
    event = AppSyncResolverEvent(built_event("getEvent", Authenticated(API_KEY, None), id="e1"))
    assert event.type_name == "Query"
    assert event.field_name == "getEvent"
    assert event.arguments == {"id": "e1"}
    assert event.identity is None
    assert event.source == {}
    assert event.request_headers["x-api-key"] == "da2-key"
    assert event.info.variables == {"id": "e1"}
    assert event.info.selection_set_list == [
        "id",
        "capacity",
        "attendeeCount",
        "comments",
        "comments/items",
        "comments/items/content",
        "comments/items/author",
        "comments/items/author/displayName",
    ]
    assert (event.info.selection_set_graphql or "").startswith("{")
    assert "...Seats" in (event.info.selection_set_graphql or "")
    assert event["prev"] is None
    assert event["stash"] == {}
    assert event["request"]["domainName"] == "api.example"


def test_a_nested_field_carries_its_source_and_coerced_arguments() -> None:
    identity = cognito_identity(
        sub="u1", username="ada", claims={"sub": "u1"}, groups=["admins"], issuer="https://issuer", source_ip="10.1.2.3"
    )
    source = {"id": "e1", "hostId": "u1"}
    event = AppSyncResolverEvent(built_event("comments", Authenticated(COGNITO, identity), source, id="e1", limit=3))
    assert (event.type_name, event.field_name) == ("Event", "comments")
    assert event.arguments == {"limit": 3}
    assert event.source == source
    assert isinstance(event.identity, AppSyncIdentityCognito)
    assert event.identity.sub == "u1"
    assert event.identity.username == "ada"
    assert event.identity.groups == ["admins"]
    assert event.identity.source_ip == ["10.1.2.3"]
    assert event.info.selection_set_list == ["items", "items/content", "items/author", "items/author/displayName"]


def test_omitted_optional_arguments_are_absent_not_null() -> None:
    event = built_event("comments", Authenticated(API_KEY, None), {"id": "e1"}, id="e1")
    assert event["arguments"] == {}
