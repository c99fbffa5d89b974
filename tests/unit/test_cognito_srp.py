"""Gather's server side of Cognito's SRP against an independent client implementation (pycognito's AWSSRP)."""

from __future__ import annotations

import boto3
import pytest
from pycognito.aws_srp import AWSSRP

from local_stack.cognito.srp import InvalidSrpA, N, claim_is_valid, padded_hex, server_challenge

POOL_ID = "us-east-1_Gather123"
USER_ID_FOR_SRP = "5f0c1d2e-0000-4000-8000-00000000abcd"
PASSWORD = "Correct-Horse-9!"


def _client(password: str) -> AWSSRP:
    return AWSSRP(
        username="ada",
        password=password,
        pool_id=POOL_ID,
        client_id="app-client",
        client=boto3.client("cognito-idp", region_name="us-east-1"),  # never called here
    )


def _claim(client_password: str) -> bool:
    client = _client(client_password)
    request = client.get_auth_params()
    challenge = server_challenge(POOL_ID, USER_ID_FOR_SRP, PASSWORD, request["SRP_A"])
    answer = client.process_challenge(
        {**challenge.parameters, "USERNAME": "ada", "USER_ID_FOR_SRP": USER_ID_FOR_SRP}, request
    )
    return claim_is_valid(challenge, answer["PASSWORD_CLAIM_SIGNATURE"], answer["TIMESTAMP"])


def test_a_client_that_knows_the_password_proves_it() -> None:
    assert _claim(PASSWORD)


def test_a_wrong_password_fails_the_claim() -> None:
    assert not _claim(PASSWORD + "x")


def test_a_claim_is_bound_to_its_timestamp() -> None:
    client = _client(PASSWORD)
    request = client.get_auth_params()
    challenge = server_challenge(POOL_ID, USER_ID_FOR_SRP, PASSWORD, request["SRP_A"])
    answer = client.process_challenge({**challenge.parameters, "USER_ID_FOR_SRP": USER_ID_FOR_SRP}, request)
    assert not claim_is_valid(challenge, answer["PASSWORD_CLAIM_SIGNATURE"], answer["TIMESTAMP"] + " ")


@pytest.mark.parametrize("srp_a", ["0", format(N, "x"), format(2 * N, "x"), "not-hex"])
def test_an_srp_a_that_would_bypass_the_password_is_refused(srp_a: str) -> None:
    with pytest.raises(InvalidSrpA):
        server_challenge(POOL_ID, USER_ID_FOR_SRP, PASSWORD, srp_a)


@pytest.mark.parametrize(
    ("value", "encoded"),
    [(0x14, "14"), (0xEC, "00ec"), (0x0ABC, "0abc"), (0x80_00, "008000")],
)
def test_numbers_are_hex_encoded_as_javas_big_integer_bytes(value: int, encoded: str) -> None:
    assert padded_hex(value) == encoded
