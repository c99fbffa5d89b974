"""Which auth mode a request uses and who it is, decided before any field runs, as AppSync does.

A request whose ``Authorization`` header is a SigV4 one is an IAM request and its signature must verify
(``mirror.sigv4``: refused with AppSync's 403s otherwise); any other ``Authorization`` header is a Cognito user
pools token and must verify; otherwise the API key in ``x-api-key`` must match. Anything else is refused with
HTTP 401.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mirror.authorization import API_KEY, COGNITO, IAM
from mirror.cognito_tokens import CognitoVerifier, InvalidToken
from mirror.identity import iam_identity
from mirror.sigv4 import IamPrincipal, SignedRequest, is_sigv4, verify
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


@dataclass(frozen=True)
class IamSettings:
    """Whose access keys IAM requests may be signed with (locally: the stream consumer's), and the API's region."""

    region: str
    principals: Mapping[str, IamPrincipal] = field(default_factory=dict)


class RequestAuthenticator:
    """A mode the API is not configured with authenticates nobody, as on AppSync."""

    def __init__(
        self,
        api_key: str,
        cognito: CognitoVerifier | None,
        modes: frozenset[str] = API_AUTH_MODES,
        iam: IamSettings | None = None,
    ) -> None:
        self.api_key = api_key
        self.cognito = cognito if COGNITO in modes else None
        self.api_key_enabled = API_KEY in modes
        self.iam = iam if IAM in modes else None

    def authenticate(
        self, headers: Mapping[str, str], source_ip: str, signed: SignedRequest | None = None
    ) -> Authenticated | None:
        """None means refuse the whole request (HTTP 401 UnauthorizedException). A SigV4 signature is checked
        against ``signed`` (the request as it came, body included; None where there is none, as on a WebSocket);
        a bad one raises ``mirror.sigv4.SignatureRefused``."""
        authorization = headers.get(AUTHORIZATION_HEADER, "")
        if is_sigv4(authorization):
            return self._signed(signed, source_ip)
        token = authorization.removeprefix("Bearer ").strip()
        if token:
            return self._signed_in(token, source_ip)
        if not self.api_key_enabled or headers.get(API_KEY_HEADER) != self.api_key:
            return None
        return Authenticated(API_KEY, None)

    def _signed(self, signed: SignedRequest | None, source_ip: str) -> Authenticated | None:
        if self.iam is None or signed is None:
            return None
        principal = verify(signed, self.iam.principals, self.iam.region)
        return Authenticated(IAM, iam_identity(principal, source_ip))

    def _signed_in(self, token: str, source_ip: str) -> Authenticated | None:
        if self.cognito is None:
            return None
        try:
            return Authenticated(COGNITO, self.cognito.identity(token, source_ip))
        except InvalidToken:
            return None
