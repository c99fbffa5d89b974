"""Which auth mode a request uses and who it is, decided before any field runs, as AppSync does.

A request with an ``Authorization`` header is a Cognito user pools request and its token must verify;
otherwise the API key in ``x-api-key`` must match. Anything else is refused with HTTP 401.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mirror.authorization import API_KEY, COGNITO
from mirror.cognito_tokens import CognitoVerifier, InvalidToken
from resolvers.api_settings import API_KEY_HEADER

AUTHORIZATION_HEADER = "authorization"


@dataclass(frozen=True)
class Authenticated:
    mode: str
    identity: dict[str, Any] | None

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple((self.identity or {}).get("groups") or ())


class RequestAuthenticator:
    def __init__(self, api_key: str, cognito: CognitoVerifier | None) -> None:
        self.api_key = api_key
        self.cognito = cognito

    def authenticate(self, headers: Mapping[str, str], source_ip: str) -> Authenticated | None:
        """None means refuse the whole request (HTTP 401 UnauthorizedException)."""
        token = headers.get(AUTHORIZATION_HEADER, "").removeprefix("Bearer ").strip()
        if token:
            if self.cognito is None:
                return None
            try:
                return Authenticated(COGNITO, self.cognito.identity(token, source_ip))
            except InvalidToken:
                return None
        if headers.get(API_KEY_HEADER) != self.api_key:
            return None
        return Authenticated(API_KEY, None)
