"""Settings of the GraphQL API itself, read by CDK (AppSync) and the mirror alike, so both enforce the same."""

from __future__ import annotations

from typing import Final

DEFAULT_AUTH_MODE: Final = "API_KEY"
"""Public reads work with the API key alone; signed-in users are an additional mode (Cognito user pools)."""
ADDITIONAL_AUTH_MODES: Final = ("AMAZON_COGNITO_USER_POOLS",)
API_KEY_HEADER: Final = "x-api-key"
PASSWORD_MIN_LENGTH: Final = 12
"""User pools (local and deployed) require this length and every character class."""
QUERY_DEPTH_LIMIT: Final = 10
RESOLVER_COUNT_LIMIT: Final = 1000
