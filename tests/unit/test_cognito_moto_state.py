"""Pins the moto state that local_stack.cognito.moto_state reads and changes: a moto upgrade that moves it fails."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from local_stack.cognito.moto_state import TokenNotOfClient, revoke_refresh_token, user_of_client

PASSWORD = "Pool-Password-1!"


@dataclass
class Pool:
    client: Any
    pool_id: str
    client_id: str
    sub: str


@pytest.fixture
def pool() -> Iterator[Pool]:
    with mock_aws():
        client = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = client.create_user_pool(PoolName="pinned")["UserPool"]["Id"]
        client_id = client.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
        created = client.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS")
        client.admin_set_user_password(UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True)
        sub = next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
        yield Pool(client, pool_id, client_id, sub)


def _sign_in(pool: Pool) -> dict[str, Any]:
    result: dict[str, Any] = pool.client.initiate_auth(
        AuthFlow="USER_PASSWORD_AUTH", ClientId=pool.client_id, AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD}
    )["AuthenticationResult"]
    return result


def test_a_user_is_found_through_the_app_client_with_password_and_srp_id(pool: Pool) -> None:
    user = user_of_client(pool.client_id, "ada")
    assert user is not None
    assert (user.user_pool_id, user.username, user.password) == (pool.pool_id, "ada", PASSWORD)
    assert user.user_id_for_srp == pool.sub
    assert user_of_client(pool.client_id, "nobody") is None
    assert user_of_client("no-such-client", "ada") is None


def test_revoking_a_refresh_token_ends_it_and_the_tokens_issued_with_it(pool: Pool) -> None:
    revoked, kept = _sign_in(pool), _sign_in(pool)
    assert revoke_refresh_token(pool.client_id, revoked["RefreshToken"])
    with pytest.raises(ClientError, match="NotAuthorized"):
        pool.client.initiate_auth(
            AuthFlow="REFRESH_TOKEN_AUTH",
            ClientId=pool.client_id,
            AuthParameters={"REFRESH_TOKEN": revoked["RefreshToken"]},
        )
    with pytest.raises(ClientError, match="NotAuthorized"):
        pool.client.get_user(AccessToken=revoked["AccessToken"])
    assert pool.client.get_user(AccessToken=kept["AccessToken"])["Username"] == "ada"
    assert revoke_refresh_token(pool.client_id, revoked["RefreshToken"])  # again: already revoked
    assert not revoke_refresh_token(pool.client_id, "unknown-token")


def test_a_refresh_token_of_another_client_is_not_revoked(pool: Pool) -> None:
    tokens = _sign_in(pool)
    with pytest.raises(TokenNotOfClient):
        revoke_refresh_token("another-client", tokens["RefreshToken"])
    assert pool.client.get_user(AccessToken=tokens["AccessToken"])["Username"] == "ada"
