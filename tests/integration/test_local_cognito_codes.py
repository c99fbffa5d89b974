"""The local pool's emailed codes, through Cognito's own API (boto3): right codes work once, others are refused
with the errors Cognito gives, and every code reaches the outbox file."""

from __future__ import annotations

import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from local_stack.cognito.mail import read_outbox
from tests.conftest import RunningStack

PASSWORD = "Codes-test-Passw0rd!"


@pytest.fixture(scope="module")
def cognito(local_stack: RunningStack) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=local_stack.stack.cognito.endpoint,
        region_name="us-east-1",
        aws_access_key_id="any",
        aws_secret_access_key="any",
    )


def _code(local_stack: RunningStack, username: str, purpose: str) -> str:
    outbox = local_stack.stack.cognito.outbox_path
    assert outbox is not None
    return next(m.code for m in reversed(read_outbox(outbox)) if m.username == username and m.purpose == purpose)


def _error(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_sign_up_codes_are_checked_single_use_and_replaced_by_a_resend(local_stack: RunningStack, cognito: Any) -> None:
    client_id = local_stack.stack.cognito.settings.client_id  # type: ignore[union-attr]
    username = f"codes-{uuid.uuid4().hex[:6]}"
    assert _error(cognito.sign_up, ClientId=client_id, Username=username, Password=PASSWORD) == (
        "InvalidParameterException"  # the pool requires an email address
    )
    answer = cognito.sign_up(
        ClientId=client_id,
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.org"}],
    )
    assert answer["UserConfirmed"] is False
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    first = _code(local_stack, username, "confirm-sign-up")
    assert (
        _error(
            cognito.initiate_auth,
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
        )
        == "UserNotConfirmedException"
    )
    confirm = {"ClientId": client_id, "Username": username}
    assert _error(cognito.confirm_sign_up, **confirm, ConfirmationCode=_wrong(first)) == "CodeMismatchException"

    cognito.resend_confirmation_code(ClientId=client_id, Username=username)
    second = _code(local_stack, username, "confirm-sign-up")
    if second != first:  # one chance in a million that the new code equals the old
        assert _error(cognito.confirm_sign_up, **confirm, ConfirmationCode=first) == "CodeMismatchException"
    cognito.confirm_sign_up(**confirm, ConfirmationCode=second)
    assert _error(cognito.confirm_sign_up, **confirm, ConfirmationCode=second) == "NotAuthorizedException"
    assert _error(cognito.resend_confirmation_code, ClientId=client_id, Username=username) == (
        "InvalidParameterException"
    )
    signed_in = cognito.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD}
    )
    assert signed_in["AuthenticationResult"]["IdToken"]


def test_reset_codes_are_checked_and_single_use(local_stack: RunningStack, cognito: Any) -> None:
    client_id = local_stack.stack.cognito.settings.client_id  # type: ignore[union-attr]
    username = f"reset-{uuid.uuid4().hex[:6]}"
    local_stack.stack.cognito.create_user(username, PASSWORD)
    reset = {"ClientId": client_id, "Username": username, "Password": "Brand-new-Passw0rd!"}
    assert _error(cognito.confirm_forgot_password, **reset, ConfirmationCode="123456") == "ExpiredCodeException"

    answer = cognito.forgot_password(ClientId=client_id, Username=username)
    assert answer["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    code = _code(local_stack, username, "reset-password")
    for wrong in (_wrong(code), "moto-confirmation-code:123456", "anything"):
        assert _error(cognito.confirm_forgot_password, **reset, ConfirmationCode=wrong) == "CodeMismatchException"
    cognito.confirm_forgot_password(**reset, ConfirmationCode=code)
    assert _error(cognito.confirm_forgot_password, **reset, ConfirmationCode=code) == "ExpiredCodeException"
    signed_in = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": reset["Password"]},
    )
    assert signed_in["AuthenticationResult"]["IdToken"]
