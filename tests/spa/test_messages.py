"""single_page_app/messages.js: API errors in words a visitor can act on, branching on errorType, run in Node."""

from __future__ import annotations

from typing import Any

from resolvers.errors import ERROR_FIELDS
from tests.spa.modules import run_spa_script

DESCRIBE = """
const { describe, fieldOf, learnErrorFields } = await import(spa + 'messages.js');
learnErrorFields(input.errorFields);
const answer = ([error, user, instead]) => [describe(error, user, instead ?? {}), fieldOf(error)];
console.log(JSON.stringify(input.cases.map(answer)));
"""
USER = {"id": "u1", "username": "ada", "displayName": "Ada", "groups": [], "isAdmin": False}


def described(*cases: tuple[Any, ...]) -> list[list[Any]]:
    given = {"errorFields": ERROR_FIELDS, "cases": [[*case, None, None][:3] for case in cases]}
    answers: list[list[Any]] = run_spa_script(DESCRIBE, given)
    return answers


def test_a_field_error_is_the_apis_message_with_the_fields_label_and_names_the_field() -> None:
    error = {"errorType": "InvalidEndsAt", "message": "endsAt must be after startsAt"}
    assert described((error,)) == [["End time must be after start time", "endsAt"]]


def test_every_error_field_the_api_names_is_learnt_from_config_json() -> None:
    cases = [({"errorType": error_type, "message": f"{field} is wrong"},) for error_type, field in ERROR_FIELDS.items()]
    assert [field for _, field in described(*cases)] == list(ERROR_FIELDS.values())


def test_other_errors_read_by_their_type_never_by_their_message() -> None:
    answers = described(
        ({"errorType": "EventFull", "message": "internal words"},),
        ({"errorType": "Lambda:Unhandled", "message": "Traceback ..."},),
        ({"errorType": "NotFound", "message": "x"}, USER, {"NotFound": "This comment was already deleted."}),
        (None,),
        ("not an error",),
    )
    assert answers == [
        ["Sorry, this event is full.", None],
        ["Something went wrong. Please try again.", None],
        ["This comment was already deleted.", None],
        ["Something went wrong. Please try again.", None],
        ["Something went wrong. Please try again.", None],
    ]


def test_unauthorized_asks_a_signed_out_visitor_to_sign_in() -> None:
    refused = {"errorType": "Unauthorized", "message": "Not Authorized to access rsvp on type Mutation"}
    assert described((refused,), (refused, USER)) == [
        ["Sign in to do this.", None],
        ["You are not allowed to do that.", None],
    ]


def test_a_field_without_a_label_is_named_in_words() -> None:
    """A field added to the API since (here ticketPrice) needs no label written for it: its name, in words."""
    given = {"errorFields": {**ERROR_FIELDS, "InvalidTicketPrice": "ticketPrice"}}
    named: list[str] = run_spa_script(
        """
const { describe, fieldLabel, learnErrorFields } = await import(spa + 'messages.js');
learnErrorFields(input.errorFields);
const error = { errorType: 'InvalidTicketPrice', message: 'ticketPrice must be at most 500, not endsAt' };
console.log(JSON.stringify([fieldLabel('ticketPrice'), fieldLabel('endsAt'), describe(error)]));
""",
        given,
    )
    assert named == ["ticket price", "end time", "Ticket price must be at most 500, not end time"]
