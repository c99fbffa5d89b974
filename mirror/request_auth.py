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
from resolvers.api_settings import ADDITIONAL_AUTH_MODES, API_KEY_HEADER, DEFAULT_AUTH_MODE

AUTHORIZATION_HEADER = "authorization"


@dataclass(frozen=True)
class Authenticated:
    mode: str
    identity: dict[str, Any] | None

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple((self.identity or {}).get("groups") or ())


API_AUTH_MODES = frozenset({DEFAULT_AUTH_MODE, *ADDITIONAL_AUTH_MODES})
"""The auth modes the API is configured with, as CDK configures AppSync."""


class RequestAuthenticator:
    """A mode the API is not configured with authenticates nobody, as on AppSync."""

    def __init__(self, api_key: str, cognito: CognitoVerifier | None, modes: frozenset[str] = API_AUTH_MODES) -> None:
        self.api_key = api_key
        self.cognito = cognito if COGNITO in modes else None
        self.api_key_enabled = API_KEY in modes

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
        if not self.api_key_enabled or headers.get(API_KEY_HEADER) != self.api_key:
            return None
        return Authenticated(API_KEY, None)
