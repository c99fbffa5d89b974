"""Verifies Cognito user pool tokens the way AppSync does before a resolver ever sees the caller.

The signature is checked against the pool's JWKS (fetched once, then cached), and the token must be
unexpired, issued by the configured issuer, meant for the configured app client, and an id or access
token. The JWKS URL is configured apart from the issuer because a local pool's tokens name AWS's host.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

from mirror.identity import cognito_identity

LEEWAY_SECONDS = 5


class InvalidToken(Exception):
    """The credential is missing, malformed, expired, forged or meant for someone else."""


@dataclass(frozen=True)
class CognitoSettings:
    user_pool_id: str
    client_id: str
    issuer: str
    jwks_url: str


class CognitoVerifier:
    def __init__(self, settings: CognitoSettings) -> None:
        self.settings = settings
        self._keys = jwt.PyJWKClient(settings.jwks_url, cache_keys=True, lifespan=3600, timeout=5)

    def claims(self, token: str) -> dict[str, Any]:
        try:
            signing_key = self._keys.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                signing_key.key,
                algorithms=["RS256"],
                issuer=self.settings.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "iss", "sub", "token_use"], "verify_aud": False},
            )
        except (jwt.PyJWTError, jwt.PyJWKClientError) as error:
            raise InvalidToken(str(error)) from None
        token_use = claims.get("token_use")
        if token_use == "id":  # noqa: S105 - a claim value, not a password
            audience = claims.get("aud")
        elif token_use == "access":  # noqa: S105
            audience = claims.get("client_id")
        else:
            raise InvalidToken(f"token_use {token_use!r} is neither id nor access")
        if audience != self.settings.client_id:
            raise InvalidToken("the token was issued to another app client")
        return claims

    def identity(self, token: str, source_ip: str) -> dict[str, Any]:
        """AppSync's Cognito identity object for a verified token."""
        claims = self.claims(token)
        username = claims.get("cognito:username") or claims.get("username") or claims["sub"]
        return cognito_identity(
            sub=claims["sub"],
            username=username,
            claims=claims,
            groups=list(claims.get("cognito:groups") or []),
            issuer=claims["iss"],
            source_ip=source_ip,
        )
