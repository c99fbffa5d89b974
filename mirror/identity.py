"""The identity object AppSync hands a resolver, built the way AppSync builds it for each auth mode."""

from __future__ import annotations

from typing import Any


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
