"""single_page_app/text_input.js refuses the comment and the display name the API would refuse, in its words.

The SPA's check runs in Node with the config.json the API serves; the real handler (in process, over moto) is sent
the same text, and both must agree: refused with the same message, or accepted. The limits come from config.json,
so a changed limit needs no change to the SPA.
"""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.logic import validation
from tests.spa.modules import run_spa_script
from tests.spa.test_event_input import FORM, api_input, served_config
from tests.unit.appsync_events import Failed, InProcessLambda
from tests.unit.conftest import _handler_environment, lambda_api, moto_account  # noqa: F401 - the handler, in process

CHECK = """
const { textProblem } = await import(spa + 'text_input.js');
console.log(JSON.stringify(input.texts.map(([name, value]) => textProblem(name, value, input.config))));
"""
COMMENT_MAX = validation.TEXT_MAX_LENGTH["content"]
NAME_MAX = validation.TEXT_MAX_LENGTH["displayName"]
TEXTS: dict[str, tuple[str, str]] = {
    "blank comment": ("content", " \n "),
    "comment at the limit, in four-byte characters": ("content", "🎉" * COMMENT_MAX),
    "comment one character too long": ("content", "x" * (COMMENT_MAX + 1)),
    "comment too long in four-byte characters": ("content", "🎉" * (COMMENT_MAX + 1)),
    "comment too long before trimming only": ("content", " " + "x" * COMMENT_MAX + " "),
    "blank display name": ("displayName", "   "),
    "display name at the limit": ("displayName", "N" * NAME_MAX),
    "display name one character too long": ("displayName", "N" * (NAME_MAX + 1)),
    "display name too long in four-byte characters": ("displayName", "😀" * (NAME_MAX + 1)),
}


def spa_checks(texts: list[tuple[str, str]], config: dict[str, Any] | None = None) -> list[str | None]:
    checked: list[str | None] = run_spa_script(CHECK, {"texts": texts, "config": config or served_config()})
    return checked


def api_answer(lambda_api: InProcessLambda, name: str, value: str) -> str | None:  # noqa: F811
    """The API's message refusing the text, or None when it takes it."""
    if name == "content":
        event = lambda_api.call("Mutation", "createEvent", {"input": api_input(FORM)}, user="ada")
        arguments = {"eventId": event["id"], "content": value}
        answer = lambda_api.call("Mutation", "commentOnEvent", arguments, user="ada")
    else:
        answer = lambda_api.call("Mutation", "setDisplayName", {"displayName": value}, user="ada")
    if isinstance(answer, Failed):
        assert served_config()["errorFields"].get(answer.errorType) == name, answer
        return answer.message
    return None


@pytest.mark.parametrize("case", list(TEXTS))
def test_the_spa_refuses_what_the_api_refuses_in_its_words(lambda_api: InProcessLambda, case: str) -> None:  # noqa: F811
    name, value = TEXTS[case]
    assert spa_checks([(name, value)]) == [api_answer(lambda_api, name, value)]


def test_the_limits_are_config_jsons() -> None:
    config = served_config()
    config["limits"] = {**config["limits"], "textMaxLength": {**config["limits"]["textMaxLength"], "content": 3}}
    assert spa_checks([("content", "abc"), ("content", "abcd")], config) == [
        None,
        "content must be at most 3 characters, not 4",
    ]
