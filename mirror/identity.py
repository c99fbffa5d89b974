"""The identity object AppSync hands a resolver, built the way AppSync builds it for each auth mode."""

from __future__ import annotations

from typing import Any

DEV_IDENTITY_HEADER = "x-gather-dev-user"
"""Until Cognito arrives locally, this header names the signed-in user; only the mirror reads it."""
DEV_ISSUER = "gather-local-dev"


def cognito_identity(
    *, sub: str, username: str, claims: dict[str, Any], groups: list[str], issuer: str, source_ip: str
) -> dict[str, Any]:
    """AppSync's Cognito user pools identity: sub, username, claims, groups, issuer, sourceIp, strategy."""
    return {
        "sub": sub,
        "username": username,
        "claims": claims,
        "groups": groups or None,
        "issuer": issuer,
        "sourceIp": [source_ip],
        "defaultAuthStrategy": "ALLOW",
    }


def dev_identity(username: str, source_ip: str) -> dict[str, Any]:
    """A Cognito-shaped identity for a name the local developer typed; the sub is stable per name."""
    name = username.strip()
    sub = f"dev-{name.lower()}"
    claims = {"sub": sub, "cognito:username": name, "token_use": "id", "iss": DEV_ISSUER}
    return cognito_identity(sub=sub, username=name, claims=claims, groups=[], issuer=DEV_ISSUER, source_ip=source_ip)
