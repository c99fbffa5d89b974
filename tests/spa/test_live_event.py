"""single_page_app/live_event.js: what a live copy of an event changes on its page, run in Node."""

from __future__ import annotations

from typing import Any

from graphql import FieldNode, OperationDefinitionNode, parse

from tests.spa.modules import run_spa_script
from tests.spa.operations import spa_documents

MERGE = """
const { merge } = await import(spa + 'live_event.js');
const event = input.event;
const changed = merge(event, input.copy);
console.log(JSON.stringify({ changed, event }));
"""
SHOWN = {
    "id": "e1",
    "title": "Picnic",
    "description": "Bring a blanket",
    "venue": "Park",
    "startsAt": "2031-03-14T17:00:00.000Z",
    "endsAt": "2031-03-14T19:00:00.000Z",
    "timeZone": "Europe/Berlin",
    "capacity": 10,
    "attendeeCount": 3,
    "version": 4,
    "waitlistCount": 0,
}


def merged(copy: dict[str, Any] | None, event: dict[str, Any] = SHOWN) -> dict[str, Any]:
    result: dict[str, Any] = run_spa_script(MERGE, {"event": event, "copy": copy})
    return result


def test_the_live_fields_are_what_on_event_changed_selects() -> None:
    (operation,) = parse(spa_documents()["eventChanged"]).definitions
    assert isinstance(operation, OperationDefinitionNode)
    (root,) = operation.selection_set.selections
    assert isinstance(root, FieldNode)
    assert root.selection_set
    selected = [node.name.value for node in root.selection_set.selections if isinstance(node, FieldNode)]
    fields = run_spa_script("console.log(JSON.stringify((await import(spa + 'live_event.js')).LIVE_FIELDS));")
    assert fields == [name for name in selected if name != "id"]


def test_a_copy_changes_what_differs_and_says_which() -> None:
    result = merged({**SHOWN, "title": "Picnic!", "attendeeCount": 4, "version": 5})
    assert result["changed"] == ["title", "attendeeCount", "version"]
    assert result["event"] == {**SHOWN, "title": "Picnic!", "attendeeCount": 4, "version": 5}


def test_a_field_the_mutation_did_not_select_is_left_as_it_is() -> None:
    result = merged({"id": "e1", "attendeeCount": 5, "version": 4, "description": None})
    assert result["changed"] == ["attendeeCount"]
    assert result["event"]["description"] == "Bring a blanket"


def test_in_a_full_copy_a_null_description_was_cleared() -> None:
    result = merged({**SHOWN, "description": None, "version": 5})
    assert result["changed"] == ["description", "version"]
    assert result["event"]["description"] is None


def test_an_older_copy_changes_nothing() -> None:
    assert merged({**SHOWN, "title": "Old", "version": 3}) == {"changed": [], "event": SHOWN}
    assert merged(None)["changed"] == []


def test_a_list_or_object_is_the_same_when_its_contents_are() -> None:
    pairs = [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["b", "a"], False),
        ([], [], True),
        ({"id": "u1", "tags": ["x"]}, {"tags": ["x"], "id": "u1"}, True),
        ({"id": "u1"}, {"id": "u1", "name": None}, False),
        ([1], {"0": 1}, False),
        (None, [], False),
        ("3", 3, False),
    ]
    answers = run_spa_script(
        "const { same } = await import(spa + 'live_event.js');"
        "console.log(JSON.stringify(input.map(([a, b]) => same(a, b))));",
        [[a, b] for a, b, _ in pairs],
    )
    assert answers == [expected for _, _, expected in pairs]
