"""single_page_app/permissions.js decides what to offer from config.json's permissions, exactly as the API decides.

Every action against every kind of caller, with the rules config.json carries and with rules it does not:
a page with its own copy of the rules would pass the first and fail the second.
"""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.errors import Unauthorized
from resolvers.identity import ADMINS_GROUP, Caller
from resolvers.logic.permissions import RULES, Holders, Role, holds, require
from spa_contract.config_json import client_config
from tests.spa.modules import run_spa_script

HOST = Caller("host-sub", "Hana")
AUTHOR = Caller("author-sub", "Aki")
ADMIN = Caller("admin-sub", "Ada", (ADMINS_GROUP,))
STRANGER = Caller("stranger-sub", "Sam")
CALLERS = {"signed out": None, "host": HOST, "author": AUTHOR, "admin": ADMIN, "stranger": STRANGER}
HOLDERS = Holders(host_id=HOST.user_id, author_id=AUTHOR.user_id)
SUBJECT = {
    "event": {"id": "e1", "host": {"id": HOST.user_id}},
    "comment": {"id": "c1", "author": {"id": AUTHOR.user_id}},
}

DECIDE = """
const { may } = await import(spa + 'permissions.js');
const answers = {};
for (const [name, user] of Object.entries(input.users)) {
  answers[name] = Object.fromEntries(
    Object.keys(input.config.permissions).map((action) => [action, may(input.config, user, action, input.subject)]),
  );
}
console.log(JSON.stringify(answers));
"""


def served_config() -> dict[str, Any]:
    return dict(client_config(graphql_url="g", realtime_url="r", region="x", api_key="k", auth=None))


def spa_user(caller: Caller | None) -> dict[str, Any] | None:
    """auth.currentUser()'s shape: id is the token's sub, isAdmin membership of config.json's adminsGroup."""
    return None if caller is None else {"id": caller.user_id, "isAdmin": ADMINS_GROUP in caller.groups}


def spa_decisions(config: dict[str, Any]) -> dict[str, dict[str, bool]]:
    users = {name: spa_user(caller) for name, caller in CALLERS.items()}
    result: dict[str, dict[str, bool]] = run_spa_script(DECIDE, {"config": config, "users": users, "subject": SUBJECT})
    return result


def api_decisions(table: dict[str, list[Role]]) -> dict[str, dict[str, bool]]:
    return {
        name: {
            action: caller is not None and any(holds(caller, role, HOLDERS) for role in roles)
            for action, roles in table.items()
        }
        for name, caller in CALLERS.items()
    }


def test_the_page_offers_what_the_api_allows() -> None:
    config = served_config()
    assert config["permissions"] == {action: list(rule.roles) for action, rule in RULES.items()}
    assert spa_decisions(config) == api_decisions(config["permissions"])


@pytest.mark.parametrize(
    "table",
    [
        {"updateEvent": ["admin"], "deleteEvent": ["author"], "deleteComment": ["host"]},
        {"updateEvent": [], "deleteEvent": ["host", "author"], "deleteComment": ["admin"]},
    ],
    ids=["rotated", "narrowed"],
)
def test_the_page_follows_config_json_not_a_copy_of_its_own(table: dict[str, list[Role]]) -> None:
    config = {**served_config(), "permissions": table}
    assert spa_decisions(config) == api_decisions(table)


def test_the_page_names_who_may_as_the_api_refuses() -> None:
    config = served_config()
    words: dict[str, str] = run_spa_script(
        """
const { whoMay } = await import(spa + 'permissions.js');
console.log(JSON.stringify(Object.fromEntries(Object.keys(input.permissions).map((a) => [a, whoMay(input, a)]))));
""",
        config,
    )
    for action, rule in RULES.items():
        with pytest.raises(Unauthorized) as refused:
            require(STRANGER, action, HOLDERS)
        assert str(refused.value) == f"Only {words[action]} may {rule.verb} it"
