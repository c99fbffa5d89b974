"""The identity object AppSync hands a resolver, built the way AppSync builds it for each auth mode."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mirror.sigv4 import IamPrincipal


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


def iam_identity(principal: IamPrincipal, source_ip: str) -> dict[str, Any]:
    """AppSync's IAM identity for a caller signing with an access key (no Cognito identity pool behind it)."""
    return {
        "accountId": principal.account_id,
        "cognitoIdentityAuthProvider": None,
        "cognitoIdentityAuthType": None,
        "cognitoIdentityId": None,
        "cognitoIdentityPoolId": None,
        "sourceIp": [source_ip],
        "userArn": principal.user_arn,
        "username": principal.username,
    }
