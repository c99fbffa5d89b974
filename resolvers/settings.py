"""Configuration read from the Lambda environment, once per execution environment."""

from __future__ import annotations

import os
from functools import cache

TABLE_NAME_VARIABLE = "GATHER_TABLE_NAME"
TOKEN_SECRET_VARIABLE = "GATHER_TOKEN_SECRET"  # noqa: S105 - a variable name, not a secret
TOKEN_SECRET_ARN_VARIABLE = "GATHER_TOKEN_SECRET_ARN"  # noqa: S105
GRAPHQL_URL_VARIABLE = "GATHER_GRAPHQL_URL"
"""The stream consumer's: where it sends its signed publishEventChanged (AppSync's URL, or the local mirror's)."""
API_ID_VARIABLE = "GATHER_API_ID"
API_KEY_ID_VARIABLE = "GATHER_API_KEY_ID"
"""The AppSync API and its public key, for the key's renewal job."""


def table_name() -> str:
    return os.environ.get(TABLE_NAME_VARIABLE, "gather")


@cache
def token_secret() -> bytes:
    """The key that signs nextTokens: given directly locally, read from Secrets Manager on AWS."""
    secret = os.environ.get(TOKEN_SECRET_VARIABLE)
    if secret:
        return secret.encode()
    arn = os.environ.get(TOKEN_SECRET_ARN_VARIABLE)
    if not arn:
        raise RuntimeError(f"Set {TOKEN_SECRET_VARIABLE} or {TOKEN_SECRET_ARN_VARIABLE}")
    from resolvers.aws import client  # only on AWS, and only once per execution environment

    value = client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"]
    return str(value).encode()


def graphql_url() -> str | None:
    return os.environ.get(GRAPHQL_URL_VARIABLE) or None
