"""The ownership rules: each action's roles, who holds them, and the refusal that names who may."""

from __future__ import annotations

import pytest

from mirror.appsync_sdl import served_schema
from resolvers.errors import Unauthorized
from resolvers.identity import ADMINS_GROUP, Caller
from resolvers.logic.permissions import RULES, Action, Holders, may, require

HOST = Caller("host-sub", "Hana")
AUTHOR = Caller("author-sub", "Aki")
ADMIN = Caller("admin-sub", "Ada", (ADMINS_GROUP,))
STRANGER = Caller("stranger-sub", "Sam", ("readers",))
ON_A_COMMENT = Holders(host_id=HOST.user_id, author_id=AUTHOR.user_id)


def test_every_action_is_a_mutation_of_the_schema() -> None:
    mutation = served_schema().mutation_type
    assert mutation is not None
    assert set(RULES) <= set(mutation.fields)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("updateEvent", {HOST, ADMIN}),
        ("deleteEvent", {HOST, ADMIN}),
        ("deleteComment", {AUTHOR, HOST, ADMIN}),
    ],
)
def test_who_may(action: Action, allowed: set[Caller]) -> None:
    for caller in (HOST, AUTHOR, ADMIN, STRANGER):
        assert may(caller, action, ON_A_COMMENT) is (caller in allowed), caller


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("updateEvent", "Only the event's host or an admin may edit it"),
        ("deleteEvent", "Only the event's host or an admin may delete it"),
        ("deleteComment", "Only the comment's author, the event's host or an admin may delete it"),
    ],
)
def test_a_refusal_names_who_may(action: Action, message: str) -> None:
    with pytest.raises(Unauthorized, match=f"^{message}$"):
        require(STRANGER, action, ON_A_COMMENT)
    require(ADMIN, action, ON_A_COMMENT)
