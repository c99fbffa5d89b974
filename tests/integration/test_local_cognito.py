"""The local user pool `gather dev` runs answers as Cognito does: SRP sign-in (the default of Amplify and AWS's
SDKs) and RevokeToken (Amplify's sign-out), through Gather's layer around moto."""

from __future__ import annotations

import secrets
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from local_stack.local_aws import boto3_credentials
from tests.conftest import RunningStack


def _cognito(stack: RunningStack) -> Any:
    return boto3.client("cognito-idp", endpoint_url=stack.stack.cognito.endpoint, **boto3_credentials())


def _user(stack: RunningStack) -> tuple[str, str]:
    username, password = f"srp-{secrets.token_hex(4)}", f"Srp-{secrets.token_urlsafe(9)}-7q"
    stack.stack.cognito.create_user(username, password)
    return username, password


def _srp(stack: RunningStack, username: str, password: str) -> dict[str, Any]:
    settings = stack.stack.cognito.settings
    assert settings is not None
    srp = AWSSRP(username, password, settings.user_pool_id, settings.client_id, client=_cognito(stack))
    tokens: dict[str, Any] = srp.authenticate_user()["AuthenticationResult"]
    return tokens


def test_srp_sign_in_gives_tokens_the_api_accepts(local_stack: RunningStack) -> None:
    username, password = _user(local_stack)
    tokens = _srp(local_stack, username, password)
    response = local_stack.http.post(
        local_stack.graphql_url, json={"query": "{ me { displayName } }"}, headers={"Authorization": tokens["IdToken"]}
    )
    assert response.json() == {"data": {"me": {"displayName": username}}}


def test_srp_with_a_wrong_password_is_refused(local_stack: RunningStack) -> None:
    username, password = _user(local_stack)
    with pytest.raises(ClientError) as refused:
        _srp(local_stack, username, password + "!")
    error = refused.value.response["Error"]
    assert error == {"Code": "NotAuthorizedException", "Message": "Incorrect username or password."}


def test_a_password_verifier_answer_is_good_once(local_stack: RunningStack) -> None:
    username, password = _user(local_stack)
    settings = local_stack.stack.cognito.settings
    assert settings is not None
    cognito = _cognito(local_stack)
    srp = AWSSRP(username, password, settings.user_pool_id, settings.client_id, client=cognito)
    request = srp.get_auth_params()
    challenge = cognito.initiate_auth(AuthFlow="USER_SRP_AUTH", ClientId=settings.client_id, AuthParameters=request)
    assert challenge["ChallengeParameters"]["USERNAME"] == username
    answer = srp.process_challenge(challenge["ChallengeParameters"], request)
    answered = {"ClientId": settings.client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": answer}
    assert "IdToken" in cognito.respond_to_auth_challenge(**answered)["AuthenticationResult"]
    with pytest.raises(ClientError, match="NotAuthorizedException"):
        cognito.respond_to_auth_challenge(**answered)


def test_revoke_token_ends_the_refresh_token_and_its_access_token(local_stack: RunningStack) -> None:
    username, password = _user(local_stack)
    settings = local_stack.stack.cognito.settings
    assert settings is not None
    cognito = _cognito(local_stack)
    tokens = _srp(local_stack, username, password)
    other_session = _srp(local_stack, username, password)

    assert (
        cognito.revoke_token(Token=tokens["RefreshToken"], ClientId=settings.client_id)["ResponseMetadata"][
            "HTTPStatusCode"
        ]
        == 200
    )
    with pytest.raises(ClientError, match="NotAuthorizedException"):
        cognito.initiate_auth(
            AuthFlow="REFRESH_TOKEN_AUTH",
            ClientId=settings.client_id,
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )
    with pytest.raises(ClientError, match="NotAuthorizedException"):
        cognito.get_user(AccessToken=tokens["AccessToken"])
    assert cognito.get_user(AccessToken=other_session["AccessToken"])["Username"] == username


def test_revoke_token_refuses_another_clients_token_and_access_tokens(local_stack: RunningStack) -> None:
    username, password = _user(local_stack)
    settings = local_stack.stack.cognito.settings
    assert settings is not None
    cognito = _cognito(local_stack)
    other_client = cognito.create_user_pool_client(UserPoolId=settings.user_pool_id, ClientName=f"other-{username}")
    tokens = _srp(local_stack, username, password)
    with pytest.raises(ClientError) as refused:
        cognito.revoke_token(Token=tokens["RefreshToken"], ClientId=other_client["UserPoolClient"]["ClientId"])
    assert refused.value.response["Error"]["Code"] == "UnauthorizedException"
    with pytest.raises(ClientError) as refused:
        cognito.revoke_token(Token=tokens["AccessToken"], ClientId=settings.client_id)
    assert refused.value.response["Error"]["Code"] == "UnsupportedTokenTypeException"
    assert cognito.get_user(AccessToken=tokens["AccessToken"])["Username"] == username
