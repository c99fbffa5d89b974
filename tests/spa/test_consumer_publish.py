"""The stream consumer's publish selects what live pages take from onEventChanged: AppSync delivers to subscribers
only the fields the publishing mutation selected, so a field the SPA's subscription reads and the publish left out
would arrive null."""

from __future__ import annotations

from graphql import FieldNode, OperationDefinitionNode, parse, validate

from mirror.appsync_sdl import served_schema
from resolvers.publish import PUBLISH_EVENT_CHANGED, PUBLISHED_FIELDS
from resolvers.records import EventRecord
from tests.spa.operations import spa_documents


def _selected(document: str) -> set[str]:
    operation = parse(document).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    root = operation.selection_set.selections[0]
    assert isinstance(root, FieldNode)
    assert root.selection_set is not None
    return {field.name.value for field in root.selection_set.selections if isinstance(field, FieldNode)}


def test_the_publish_is_valid_and_selects_every_field_the_event_page_subscribes_to() -> None:
    assert validate(served_schema(), parse(PUBLISH_EVENT_CHANGED)) == []
    subscribed = _selected(spa_documents()["eventChanged"])
    assert "attendeeCount" in subscribed
    assert subscribed <= _selected(PUBLISH_EVENT_CHANGED)


def test_a_new_stored_field_is_published_by_itself() -> None:
    assert set(PUBLISHED_FIELDS) == set(EventRecord.__annotations__) - {"hostId", "hostName"}
    assert _selected(PUBLISH_EVENT_CHANGED) == set(PUBLISHED_FIELDS)
