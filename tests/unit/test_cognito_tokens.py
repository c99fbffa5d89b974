"""The mirror's token verifier on its own: claims, keys and clock skew, with keys this test makes.

The pool's JWKS is served from loopback by the standard library's HTTP server (PyJWKClient fetches http(s)
only); no mirror, no Cognito.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mirror.cognito_tokens import LEEWAY_SECONDS, CognitoSettings, CognitoVerifier, InvalidToken

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool"
CLIENT_ID = "test-app-client"
KEY_ID = "test-key"


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def verifier(signing_key: rsa.RSAPrivateKey) -> Iterator[CognitoVerifier]:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    jwks = json.dumps({"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(jwks)

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/us-east-1_TestPool/.well-known/jwks.json"
    try:
        yield CognitoVerifier(CognitoSettings("us-east-1_TestPool", CLIENT_ID, ISSUER, url))
    finally:
        server.shutdown()
        server.server_close()


def id_claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": "7d5e-user",
        "aud": CLIENT_ID,
        "iss": ISSUER,
        "token_use": "id",
        "cognito:username": "ada",
        "cognito:groups": ["admins"],
        "iat": now,
        "exp": now + 3600,
    }
    claims.update(changes)
    return {name: value for name, value in claims.items() if value is not None}


def sign(claims: dict[str, Any], key: rsa.RSAPrivateKey, kid: str = KEY_ID, algorithm: str = "RS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm, headers={"kid": kid})


def test_a_valid_id_token_gives_appsyncs_cognito_identity(verifier: CognitoVerifier, signing_key: Any) -> None:
    identity = verifier.identity(sign(id_claims(), signing_key), "10.0.0.7")
    assert identity["sub"] == "7d5e-user"
    assert identity["username"] == "ada"
    assert identity["groups"] == ["admins"]
    assert identity["issuer"] == ISSUER
    assert identity["sourceIp"] == ["10.0.0.7"]
    assert identity["claims"]["token_use"] == "id"


def test_an_access_token_is_checked_against_client_id(verifier: CognitoVerifier, signing_key: Any) -> None:
    access = id_claims(token_use="access", aud=None, client_id=CLIENT_ID, username="ada")
    assert verifier.claims(sign(access, signing_key))["client_id"] == CLIENT_ID
    with pytest.raises(InvalidToken, match="another app client"):
        verifier.claims(sign({**access, "client_id": "someone-else"}, signing_key))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param(lambda c: {**c, "aud": "someone-else"}, "another app client", id="audience"),
        pytest.param(lambda c: {**c, "iss": ISSUER + "x"}, "issuer", id="issuer"),
        pytest.param(lambda c: {**c, "token_use": "refresh"}, "neither id nor access", id="token-use"),
        pytest.param(lambda c: {k: v for k, v in c.items() if k != "sub"}, "sub", id="no-sub"),
        pytest.param(lambda c: {k: v for k, v in c.items() if k != "exp"}, "exp", id="no-expiry"),
    ],
)
def test_wrong_claims_are_refused(
    verifier: CognitoVerifier, signing_key: Any, change: Callable[[dict[str, Any]], dict[str, Any]], reason: str
) -> None:
    with pytest.raises(InvalidToken, match=reason):
        verifier.claims(sign(change(id_claims()), signing_key))


def test_keys_other_than_the_pools_are_refused(verifier: CognitoVerifier, signing_key: Any) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InvalidToken):
        verifier.claims(sign(id_claims(), stranger))  # the pool's key id, another key
    with pytest.raises(InvalidToken):
        verifier.claims(sign(id_claims(), signing_key, kid="unknown-key"))
    symmetric = jwt.encode(
        id_claims(), "a shared secret, long enough for HS256", algorithm="HS256", headers={"kid": KEY_ID}
    )
    with pytest.raises(InvalidToken):
        verifier.claims(symmetric)
    header, _, signature = sign(id_claims(), signing_key).split(".")
    forged = jwt.utils.base64url_encode(json.dumps(id_claims(sub="someone-else")).encode()).decode()
    with pytest.raises(InvalidToken):
        verifier.claims(f"{header}.{forged}.{signature}")
    with pytest.raises(InvalidToken):
        verifier.claims("not-a-jwt")


def test_clock_skew_is_tolerated_up_to_the_leeway(verifier: CognitoVerifier, signing_key: Any) -> None:
    now = int(time.time())
    just_expired = id_claims(iat=now - 3600, exp=now - LEEWAY_SECONDS // 2 - 1)
    assert verifier.claims(sign(just_expired, signing_key))["sub"] == "7d5e-user"
    long_expired = id_claims(iat=now - 3600, exp=now - LEEWAY_SECONDS - 5)
    with pytest.raises(InvalidToken, match="expired"):
        verifier.claims(sign(long_expired, signing_key))
    issued_slightly_ahead = id_claims(iat=now + LEEWAY_SECONDS // 2)
    assert verifier.claims(sign(issued_slightly_ahead, signing_key))["sub"] == "7d5e-user"
    issued_in_the_future = id_claims(iat=now + LEEWAY_SECONDS + 60)
    with pytest.raises(InvalidToken):
        verifier.claims(sign(issued_in_the_future, signing_key))
