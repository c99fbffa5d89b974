"""Who may change what: Gather's ownership rules, stated once.

The logic enforces them here; config.json hands the same table to the SPA, which uses it only to decide what
to offer (the API has the last word). An action is the mutation's name, a role what the caller is to the
item: the event's host, the comment's author, or a member of the admins group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from resolvers.errors import Unauthorized
from resolvers.identity import Caller

Role = Literal["host", "author", "admin"]
Action = Literal["updateEvent", "deleteEvent", "deleteComment"]


@dataclass(frozen=True)
class Rule:
    roles: tuple[Role, ...]
    verb: str
    """How the refusal names the action: "Only the event's host or an admin may <verb> it"."""


RULES: Final[Mapping[Action, Rule]] = {
    "updateEvent": Rule(("host", "admin"), "edit"),
    "deleteEvent": Rule(("host", "admin"), "delete"),
    "deleteComment": Rule(("author", "host", "admin"), "delete"),
}

ROLE_WORDS: Final[Mapping[Role, str]] = {
    "host": "the event's host",
    "author": "the comment's author",
    "admin": "an admin",
}


@dataclass(frozen=True)
class Holders:
    """Who holds the item-bound roles: the event's host and, for a comment, its author."""

    host_id: str
    author_id: str | None = None


def holds(caller: Caller, role: Role, holders: Holders) -> bool:
    if role == "admin":
        return caller.is_admin
    holder = holders.host_id if role == "host" else holders.author_id
    return holder is not None and caller.user_id == holder


def may(caller: Caller, action: Action, holders: Holders) -> bool:
    return any(holds(caller, role, holders) for role in RULES[action].roles)


def require(caller: Caller, action: Action, holders: Holders) -> None:
    """Raises Unauthorized, naming who may, unless the caller holds one of the action's roles."""
    if not may(caller, action, holders):
        rule = RULES[action]
        raise Unauthorized(f"Only {_either(rule.roles)} may {rule.verb} it")


def _either(roles: tuple[Role, ...]) -> str:
    words = [ROLE_WORDS[role] for role in roles]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
