"""Settings of the GraphQL API itself, read by CDK (AppSync) and the mirror alike, so both enforce the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

DEFAULT_AUTH_MODE: Final = "API_KEY"
"""Public reads work with the API key alone; signed-in users are an additional mode (Cognito user pools)."""
ADDITIONAL_AUTH_MODES: Final = ("AMAZON_COGNITO_USER_POOLS", "AWS_IAM")
"""IAM is the stream consumer's: it signs the one mutation that tells subscribers of its changes."""
CONSUMER_PUBLISH_FIELD: Final = ("Mutation", "publishEventChanged")
"""The only field the consumer's role may call (CDK grants ``appsync:GraphQL`` on it alone); its publish sends it."""
API_KEY_HEADER: Final = "x-api-key"
API_KEY_LIFETIME_DAYS: Final = 364
"""AppSync keys live at most 365 days from now. Each deploy sets this much, and the daily renewal job
(resolvers/api_key_renewal.py) sets it again, so the public key never comes near its end."""
API_KEY_ALARM_DAYS: Final = 30
"""Fewer days left than this (or no report from the renewal job) raises the key's alarm."""


@dataclass(frozen=True)
class PasswordPolicy:
    """What a user pool demands of a password, as Cognito's PasswordPolicy names it."""

    min_length: int
    require_lowercase: bool
    require_uppercase: bool
    require_digits: bool
    require_symbols: bool


PASSWORD_POLICY: Final = PasswordPolicy(
    min_length=12, require_lowercase=True, require_uppercase=True, require_digits=True, require_symbols=True
)
"""The user pools (local and deployed) and the SPA's sign-up hints all read this."""
SIGN_UP_ATTRIBUTES: Final = ("email",)
"""The attributes a new account must give: required by both user pools, asked for by the SPA (config.json)."""
QUERY_DEPTH_LIMIT: Final = 10
RESOLVER_COUNT_LIMIT: Final = 1000
