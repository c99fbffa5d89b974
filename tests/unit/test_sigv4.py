"""The mirror's SigV4 check against requests signed by botocore, as the stream consumer signs them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from mirror.sigv4 import MISMATCH, IamPrincipal, SignatureRefused, SignedRequest, verify

REGION = "us-east-1"
HOST = "127.0.0.1:4000"
CONSUMER = IamPrincipal(
    access_key_id="ASIALOCALCONSUMER01",
    secret_access_key="consumer-secret-not-secret",
    account_id="000000000000",
    user_arn="arn:aws:sts::000000000000:assumed-role/consumer/consumer",
    username="AROALOCALCONSUMER:consumer",
    session_token="session-token-not-secret",
)
PRINCIPALS = {CONSUMER.access_key_id: CONSUMER}
BODY = json.dumps({"query": 'mutation { publishEventChanged(eventId: "e1") { id } }'}).encode()


def signed(
    body: bytes = BODY,
    *,
    key: str = CONSUMER.access_key_id,
    secret: str = CONSUMER.secret_access_key,
    token: str | None = CONSUMER.session_token,
) -> SignedRequest:
    request = AWSRequest(
        method="POST", url=f"http://{HOST}/graphql", data=body, headers={"content-type": "application/json"}
    )
    SigV4Auth(Credentials(key, secret, token), "appsync", REGION).add_auth(request)
    headers = {name.lower(): value for name, value in request.headers.items()}
    headers["host"] = HOST  # the HTTP client sends it; botocore signed it from the URL
    return SignedRequest("POST", "/graphql", "", headers, body)


def refusal(request: SignedRequest, now: datetime | None = None) -> tuple[int, str, str]:
    with pytest.raises(SignatureRefused) as refused:
        verify(request, PRINCIPALS, REGION, now)
    error = refused.value.error
    return error.status, error.error_type, error.message


def test_a_request_signed_with_a_known_key_names_its_principal() -> None:
    assert verify(signed(), PRINCIPALS, REGION) == CONSUMER


def test_an_unsigned_request_is_not_an_iam_request() -> None:
    request = SignedRequest("POST", "/graphql", "", {"host": HOST, "content-type": "application/json"}, BODY)
    assert refusal(request)[:2] == (403, "IncompleteSignatureException")


def test_a_signature_made_with_the_wrong_secret_does_not_match() -> None:
    assert refusal(signed(secret="guessed")) == (403, "InvalidSignatureException", MISMATCH)


def test_a_tampered_signature_does_not_match() -> None:
    request = signed()
    authorization = request.headers["authorization"]
    last = authorization[-1]
    forged = authorization[:-1] + ("0" if last != "0" else "1")
    headers = {**request.headers, "authorization": forged}
    tampered = SignedRequest(request.method, request.path, request.query, headers, BODY)
    assert refusal(tampered) == (403, "InvalidSignatureException", MISMATCH)


def test_an_unknown_access_key_is_not_recognized() -> None:
    status, error_type, _ = refusal(signed(key="AKIAUNKNOWN"))
    assert (status, error_type) == (403, "UnrecognizedClientException")


def test_temporary_credentials_need_their_session_token() -> None:
    assert verify(signed(), PRINCIPALS, REGION) == CONSUMER
    for token in (None, "another-session"):
        status, error_type, _ = refusal(signed(token=token))
        assert (status, error_type) == (403, "UnrecognizedClientException")


def test_a_changed_body_breaks_the_signature() -> None:
    request = signed()
    other = json.dumps({"query": 'mutation { publishEventChanged(eventId: "e2") { id } }'}).encode()
    tampered = SignedRequest(request.method, request.path, request.query, request.headers, other)
    assert refusal(tampered)[:2] == (403, "InvalidSignatureException")


def test_a_changed_signed_header_or_path_breaks_the_signature() -> None:
    request = signed()
    moved = SignedRequest(request.method, "/graphql/other", request.query, request.headers, BODY)
    assert refusal(moved) == (403, "InvalidSignatureException", MISMATCH)
    retyped = SignedRequest(request.method, request.path, "", {**request.headers, "content-type": "text/plain"}, BODY)
    assert refusal(retyped) == (403, "InvalidSignatureException", MISMATCH)


def test_a_stale_or_future_date_is_refused_whatever_the_signature() -> None:
    request = signed()
    signed_at = datetime.strptime(request.headers["x-amz-date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert verify(request, PRINCIPALS, REGION, signed_at + timedelta(minutes=4)) == CONSUMER
    status, error_type, message = refusal(request, signed_at + timedelta(minutes=6))
    assert (status, error_type) == (403, "InvalidSignatureException")
    assert message.startswith(f"Signature expired: {request.headers['x-amz-date']} is now earlier than")
    assert refusal(request, signed_at - timedelta(minutes=6))[2].startswith("Signature not yet current")


def test_a_signature_for_another_region_is_refused() -> None:
    with pytest.raises(SignatureRefused) as refused:
        verify(signed(), PRINCIPALS, "eu-west-1")
    assert refused.value.error.error_type == "InvalidSignatureException"
