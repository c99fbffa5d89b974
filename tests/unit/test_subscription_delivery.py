"""Subscription delivery as AppSync does it: the subscriber's selection set runs over the mutation's result.

Each rule cites where AppSync's behaviour is shown.
"""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, FragmentDefinitionNode, OperationDefinitionNode, parse
from graphql.execution.values import get_variable_values

from mirror.appsync_sdl import appsync_schema
from mirror.subscription_delivery import SubscriberSelection, delivery

COMMENT = {
    "id": "c1",
    "eventId": "e1",
    "content": "Hello",
    "createdAt": "2030-05-01T12:00:00.000Z",
    "author": {"id": "u1", "displayName": "Ada"},
}


def _deliver(query: str, result: dict[str, Any], variables: dict[str, Any] | None = None) -> dict[str, Any]:
    schema = appsync_schema()
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    node = next(s for s in operation.selection_set.selections if isinstance(s, FieldNode))
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables or {})
    assert not isinstance(coerced, list)
    assert schema.subscription_type is not None
    field = schema.subscription_type.fields[node.name.value]
    return delivery(SubscriberSelection(schema, field, node, fragments, coerced), result)


def test_typename_is_the_types_name_though_the_mutation_did_not_select_it() -> None:
    """GraphQL spec, Type Name Introspection; Apollo Client adds __typename to every selection set and
    AppSync answers it on subscriptions (the issue's report: the mirror gave null)."""
    payload = _deliver(
        'subscription { onCommentAdded(eventId: "e1") { __typename id author { __typename displayName } } }',
        COMMENT,
    )
    assert payload == {
        "data": {
            "onCommentAdded": {
                "__typename": "Comment",
                "id": "c1",
                "author": {"__typename": "User", "displayName": "Ada"},
            }
        }
    }


def test_a_nullable_field_the_mutation_did_not_select_is_null() -> None:
    """aws-amplify/amplify-category-api#1338: fields left out of the mutation's response "are null" for the
    subscription."""
    result = {"id": "e1", "title": "Picnic", "venue": "Park", "attendeeCount": 3}
    payload = _deliver('subscription { onEventChanged(id: "e1") { id title description } }', result)
    assert payload == {"data": {"onEventChanged": {"id": "e1", "title": "Picnic", "description": None}}}


def test_missing_non_null_fields_null_the_subscription_field_each_with_appsyncs_error() -> None:
    """aws-amplify/amplify-category-api#1338 and aws/aws-appsync-community#127: the subscription field is null
    and errors lists every missing non-null field as "Cannot return null for non-nullable type: '<type>'
    within parent '<parent>' (/<path>)" with its path."""
    result = {"id": "e1", "attendeeCount": 3}
    payload = _deliver('subscription { onEventChanged(id: "e1") { id title attendeeCount startsAt } }', result)
    assert payload == {
        "data": {"onEventChanged": None},
        "errors": [
            {
                "message": "Cannot return null for non-nullable type: 'String' within parent 'Event' "
                "(/onEventChanged/title)",
                "path": ["onEventChanged", "title"],
            },
            {
                "message": "Cannot return null for non-nullable type: 'AWSDateTime' within parent 'Event' "
                "(/onEventChanged/startsAt)",
                "path": ["onEventChanged", "startsAt"],
            },
        ],
    }


def test_a_missing_non_null_field_deep_down_nulls_up_to_the_nearest_nullable_parent() -> None:
    """GraphQL spec, Handling Field Errors: a null in a non-null position propagates to the nearest nullable
    field; here author (User!) is non-null, so the nullable subscription field is the one that becomes null."""
    payload = _deliver(
        'subscription { onCommentAdded(eventId: "e1") { id author { id displayName } } }',
        {**COMMENT, "author": {"displayName": "Ada"}},
    )
    assert payload["data"] == {"onCommentAdded": None}
    assert payload["errors"] == [
        {
            "message": "Cannot return null for non-nullable type: 'ID' within parent 'User' "
            "(/onCommentAdded/author/id)",
            "path": ["onCommentAdded", "author", "id"],
        }
    ]


def test_aliases_fragments_and_skip_include_shape_the_delivery_as_in_any_graphql_execution() -> None:
    """GraphQL spec, CollectFields: aliases name the keys; fragments, type conditions and @skip/@include choose
    the fields."""
    query = """
    subscription($brief: Boolean!) {
      said: onCommentAdded(eventId: "e1") {
        ...Parts
        ... on Comment { text: content }
        createdAt @skip(if: $brief)
        eventId @include(if: $brief)
      }
    }
    fragment Parts on Comment { key: id author { name: displayName } }
    """
    payload = _deliver(query, COMMENT, {"brief": True})
    assert payload == {"data": {"said": {"key": "c1", "author": {"name": "Ada"}, "text": "Hello", "eventId": "e1"}}}


def test_list_items_complete_one_by_one_and_a_null_item_in_a_non_null_list_propagates() -> None:
    """GraphQL spec, CompleteValue on lists: each item completes with the item type; [Comment!]! allows no
    null item, so the null climbs to the nearest nullable field, the subscription's."""
    comments = {"items": [{"id": "c1", "content": "Hi"}, {"id": "c2", "content": "Yo"}], "nextToken": None}
    query = 'subscription { onEventChanged(id: "e1") { id comments { items { id content } } } }'
    assert _deliver(query, {"id": "e1", "comments": comments}) == {
        "data": {
            "onEventChanged": {
                "id": "e1",
                "comments": {"items": [{"id": "c1", "content": "Hi"}, {"id": "c2", "content": "Yo"}]},
            }
        }
    }
    broken = {"items": [{"id": "c1", "content": "Hi"}, {"id": "c2"}], "nextToken": None}
    payload = _deliver(query, {"id": "e1", "comments": broken})
    assert payload["data"] == {"onEventChanged": None}
    assert [error["path"] for error in payload["errors"]] == [["onEventChanged", "comments", "items", 1, "content"]]
    assert "within parent 'Comment' (/onEventChanged/comments/items/1/content)" in payload["errors"][0]["message"]
