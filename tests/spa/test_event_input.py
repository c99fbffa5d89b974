"""single_page_app/event_input.js refuses what the API refuses, every field at once, in the API's own words.

Each case breaks one field's rule; the SPA's check (run in Node, with the config.json the API serves) must name that
field with the message the real handler answers (in process, over moto) when sent the same input. A form breaking
every rule at once gets every one of those messages together.
"""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.logic import validation
from spa_contract.config_json import client_config
from tests.spa.modules import run_spa_script
from tests.unit.appsync_events import Failed, InProcessLambda
from tests.unit.conftest import _handler_environment, lambda_api, moto_account  # noqa: F401 - the handler, in process

CHECK = """
const { checkEvent } = await import(spa + 'event_input.js');
console.log(JSON.stringify(input.forms.map((values) => checkEvent(values, input.config, input.options))));
"""
FORM = {
    "title": "Picnic",
    "description": "",
    "venue": "Park",
    "timeZone": "UTC",
    "startsAt": "2031-03-14T17:00",
    "endsAt": "2031-03-14T19:00",
    "capacity": "10",
}
"""A valid form: times are wall-clock times in its time zone, as <input type=datetime-local> holds them."""
TITLE_MAX = validation.TEXT_MAX_LENGTH["title"]
BREAKS: dict[str, dict[str, Any]] = {
    "blank title": {"title": "   "},
    "title one character too long, in four-byte characters": {"title": "🎉" * (TITLE_MAX + 1)},
    "blank venue": {"venue": ""},
    "description too long": {"description": "x" * (validation.DESCRIPTION_MAX + 1)},
    "end before start": {"endsAt": "2031-03-14T16:00"},
    "start in the past": {"startsAt": "2001-03-14T17:00", "endsAt": "2001-03-14T19:00"},
    "longer than an event may last": {"endsAt": "2031-03-30T17:00"},
    "no capacity": {"capacity": 0},
    "capacity over the maximum": {"capacity": validation.CAPACITY_MAX + 1},
}
"""Form values breaking one rule; a number stands for the capacity the API is sent."""


def served_config() -> dict[str, Any]:
    return dict(client_config(graphql_url="g", realtime_url="r", region="x", api_key="k", auth=None))


def spa_checks(forms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    given = {"forms": forms, "config": served_config(), "options": {}}
    checked: list[dict[str, Any]] = run_spa_script(CHECK, given)
    return checked


def form(breaking: dict[str, Any]) -> dict[str, str]:
    return {**FORM, **{name: str(value) for name, value in breaking.items()}}


def api_input(values: dict[str, str]) -> dict[str, Any]:
    """What the form would send, had it not refused: the times in UTC, the capacity a number."""
    return {
        "title": values["title"],
        "description": values["description"] or None,
        "venue": values["venue"],
        "timeZone": values["timeZone"],
        "startsAt": f"{values['startsAt']}:00Z",
        "endsAt": f"{values['endsAt']}:00Z",
        "capacity": int(values["capacity"]),
    }


def test_a_valid_form_becomes_the_input_the_api_takes(lambda_api: InProcessLambda) -> None:  # noqa: F811
    (checked,) = spa_checks([FORM])
    assert checked == {
        "input": {**api_input(FORM), "startsAt": "2031-03-14T17:00:00+00:00", "endsAt": "2031-03-14T19:00:00+00:00"}
    }
    created = lambda_api.call("Mutation", "createEvent", {"input": checked["input"]}, user="ada")
    assert not isinstance(created, Failed), created


@pytest.mark.parametrize("case", list(BREAKS))
def test_each_rule_is_the_apis_in_its_words(lambda_api: InProcessLambda, case: str) -> None:  # noqa: F811
    values = form(BREAKS[case])
    refused = lambda_api.call("Mutation", "createEvent", {"input": api_input(values)}, user="ada")
    assert isinstance(refused, Failed), refused
    field = served_config()["errorFields"][refused.errorType]
    assert spa_checks([values]) == [{"errors": {field: refused.message}}]


def test_every_bad_field_is_reported_at_once(lambda_api: InProcessLambda) -> None:  # noqa: F811
    one_each = ["blank title", "blank venue", "description too long", "end before start", "no capacity"]
    singles = spa_checks([form(BREAKS[case]) for case in one_each])
    (together,) = spa_checks([form({name: value for case in one_each for name, value in BREAKS[case].items()})])
    assert together == {"errors": {name: message for single in singles for name, message in single["errors"].items()}}
    assert set(together["errors"]) == {"title", "venue", "description", "endsAt", "capacity"}


def test_what_cannot_be_sent_at_all_is_refused_too() -> None:
    checked = spa_checks([form({"capacity": "ten", "startsAt": "", "endsAt": ""}), form({"timeZone": ""})])
    assert checked[0] == {
        "errors": {
            "startsAt": "startsAt is required",
            "endsAt": "endsAt is required",
            "capacity": "capacity must be a whole number",
        }
    }
    assert checked[1] == {"errors": {"timeZone": "timeZone is required"}}


def test_an_edit_may_keep_a_start_that_has_passed() -> None:
    values = form(BREAKS["start in the past"])
    given = {"forms": [values], "config": served_config(), "options": {"current": {"startsAt": "2001-03-14T17:00Z"}}}
    (kept,) = run_spa_script(CHECK, given)
    assert "input" in kept
    given["options"] = {"current": {"startsAt": "2001-03-14T16:00Z"}}
    (moved,) = run_spa_script(CHECK, given)
    assert moved == {"errors": {"startsAt": "startsAt must be in the future"}}


EXTRA = """
const { checkEvent, changedFields, extraFields, textOf } = await import(spa + 'event_input.js');
const checked = input.forms.map((values) => checkEvent(values, input.config, {}));
const changed = changedFields(checked[0].input, input.original);
console.log(JSON.stringify({ extras: extraFields(input.config), checked, changed, texts: input.values.map(textOf) }));
"""


def test_a_field_the_form_has_no_control_of_its_own_for_is_entered_by_its_kind() -> None:
    """A field config.json lists beyond the SPA's own (one added to the API since) is sent as its kind says: a list
    from comma-separated words, a whole number, a text; blank clears it. What the API refuses it refuses itself."""
    config = served_config()
    config["editableFields"] = [*config["editableFields"], "tags", "seatsHeld", "dressCode"]
    config["editableFieldKinds"] = {**config["editableFieldKinds"], "tags": "list", "seatsHeld": "number"}
    config["editableFieldKinds"]["dressCode"] = "text"
    forms = [
        {**FORM, "tags": " tea, talks ,, ", "seatsHeld": " 3 ", "dressCode": " smart "},
        {**FORM, "tags": " , ", "seatsHeld": "", "dressCode": "  "},
        {**FORM, "seatsHeld": "three"},
    ]
    original = {**api_input(FORM), "tags": ["tea", "talks"], "seatsHeld": 2, "dressCode": "smart"}
    given = {"forms": forms, "config": config, "original": original, "values": [["a", "b"], 4, None, "x"]}
    found = run_spa_script(EXTRA, given)
    assert found["extras"] == ["tags", "seatsHeld", "dressCode"]
    entered, cleared, refused = found["checked"]
    assert {name: entered["input"][name] for name in found["extras"]} == {
        "tags": ["tea", "talks"],
        "seatsHeld": 3,
        "dressCode": "smart",
    }
    assert {name: cleared["input"][name] for name in found["extras"]} == dict.fromkeys(found["extras"])
    assert refused == {"errors": {"seatsHeld": "seatsHeld must be a whole number"}}
    assert found["changed"] == {"seatsHeld": 3}, "a list with the same words is unchanged"
    assert found["texts"] == ["a, b", "4", "", "x"]
