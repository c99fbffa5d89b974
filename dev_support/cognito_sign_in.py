"""Signing in to the local pool as the SPA does (Cognito's InitiateAuth), for tests and benchmarks."""

from __future__ import annotations

from typing import Any

import boto3

from local_stack.cognito.pool import LocalCognito
from local_stack.local_aws import boto3_credentials


def id_token(cognito: LocalCognito, username: str, password: str) -> str:
    """The ID token of a USER_PASSWORD_AUTH sign-in (no MFA challenge: for users without TOTP)."""
    assert cognito.settings is not None, "the local pool has not started"
    client: Any = boto3.client("cognito-idp", endpoint_url=cognito.endpoint, **boto3_credentials())
    result = client.initiate_auth(
        AuthFlow="USER_PASSWORD_AUTH",
        ClientId=cognito.settings.client_id,
        AuthParameters={"USERNAME": username, "PASSWORD": password},
    )
    return str(result["AuthenticationResult"]["IdToken"])
