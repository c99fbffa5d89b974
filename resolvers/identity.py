"""Who is calling, read only from the identity AppSync (or the mirror) verified and put in the event."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from resolvers.errors import SignInRequired

ADMINS_GROUP = "admins"


class CognitoIdentity(TypedDict, total=False):
    """The identity AppSync passes for a Cognito user pools caller (None for the API key; IAM's has no sub)."""

    sub: str
    username: str
    claims: dict[str, Any]
    groups: list[str] | None
    issuer: str
    sourceIp: list[str]
    defaultAuthStrategy: str


@dataclass(frozen=True)
class Caller:
    user_id: str
    display_name: str
    groups: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return ADMINS_GROUP in self.groups


def caller_from_identity(identity: CognitoIdentity | None) -> Caller | None:
    """A Cognito user pools identity names a user; API key (None) and IAM identities do not."""
    if not identity or not identity.get("sub"):
        return None
    claims = identity.get("claims") or {}
    username = identity.get("username") or claims.get("cognito:username") or identity["sub"]
    display_name = claims.get("name") or claims.get("preferred_username") or username
    return Caller(
        user_id=str(identity["sub"]),
        display_name=str(display_name),
        groups=tuple(identity.get("groups") or ()),
    )


def require_caller(identity: CognitoIdentity | None) -> Caller:
    caller = caller_from_identity(identity)
    if caller is None:
        raise SignInRequired("Sign in to do this.")
    return caller
