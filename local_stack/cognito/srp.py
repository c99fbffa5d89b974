"""The server side of Cognito's SRP-6a sign-in (USER_SRP_AUTH, then PASSWORD_VERIFIER), as its clients compute it.

Cognito's variant: the 3072-bit group of RFC 3526 with g = 2, SHA-256 over the unambiguous (sign-padded)
hex encoding of each number, the password hashed as ``H(pool name | USER_ID_FOR_SRP | ":" | password)``,
a 16-byte HKDF key ("Caldera Derived Key") from S and u, and a claim that is the HMAC of pool name,
USER_ID_FOR_SRP, the secret block and the client's timestamp under that key. The pool name is the part
of the pool id after the underscore. A server that knows the password derives the verifier from it
and checks the claim, so a wrong password fails here as it does on Cognito.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
"""RFC 3526, section 4: the 3072-bit MODP group."""
G = 2
_DERIVED_KEY_INFO = b"Caldera Derived Key\x01"


def padded_hex(value: int) -> str:
    """Even-length hex with a leading 00 when the top bit is set, as Java's BigInteger.toByteArray() writes it."""
    text = format(value, "x")
    if len(text) % 2:
        text = "0" + text
    if text[0] in "89abcdef":
        text = "00" + text
    return text


def _hash_hex(hex_text: str) -> str:
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


def _hash_int(hex_text: str) -> int:
    return int(_hash_hex(hex_text), 16)


K = _hash_int(padded_hex(N) + padded_hex(G))


def pool_name(user_pool_id: str) -> str:
    return user_pool_id.split("_", 1)[1]


def password_verifier(user_pool_id: str, user_id_for_srp: str, password: str, salt_hex: str) -> int:
    """v = g^x, x = H(salt | H(pool name | user id | ":" | password))."""
    identity = hashlib.sha256(f"{pool_name(user_pool_id)}{user_id_for_srp}:{password}".encode()).hexdigest()
    x = _hash_int(padded_hex(int(salt_hex, 16)) + identity)
    return pow(G, x, N)


@dataclass(frozen=True)
class ServerChallenge:
    """What the server keeps between its PASSWORD_VERIFIER challenge and the client's answer."""

    user_pool_id: str
    user_id_for_srp: str
    salt_hex: str
    secret_block: str
    a_public: int
    b_private: int
    b_public: int
    verifier: int

    @property
    def parameters(self) -> dict[str, str]:
        """The challenge's SALT, SRP_B and SECRET_BLOCK as Cognito sends them."""
        return {"SALT": self.salt_hex, "SRP_B": format(self.b_public, "x"), "SECRET_BLOCK": self.secret_block}


class InvalidSrpA(ValueError):
    """SRP_A is not a number or is 0 modulo N (a client sending that could pass without the password)."""


def server_challenge(user_pool_id: str, user_id_for_srp: str, password: str, srp_a: str) -> ServerChallenge:
    try:
        a_public = int(srp_a, 16)
    except ValueError:
        raise InvalidSrpA(srp_a) from None
    if a_public % N == 0:
        raise InvalidSrpA(srp_a)
    salt_hex = secrets.token_hex(16)
    verifier = password_verifier(user_pool_id, user_id_for_srp, password, salt_hex)
    b_private = secrets.randbelow(N - 1) + 1
    b_public = (K * verifier + pow(G, b_private, N)) % N
    return ServerChallenge(
        user_pool_id=user_pool_id,
        user_id_for_srp=user_id_for_srp,
        salt_hex=salt_hex,
        secret_block=base64.b64encode(secrets.token_bytes(64)).decode(),
        a_public=a_public,
        b_private=b_private,
        b_public=b_public,
        verifier=verifier,
    )


def expected_signature(challenge: ServerChallenge, timestamp: str) -> str:
    """The PASSWORD_CLAIM_SIGNATURE a client that knows the password sends for this challenge and timestamp."""
    u = _hash_int(padded_hex(challenge.a_public) + padded_hex(challenge.b_public))
    shared = pow(challenge.a_public * pow(challenge.verifier, u, N), challenge.b_private, N)
    pseudo_random_key = hmac.digest(bytes.fromhex(padded_hex(u)), bytes.fromhex(padded_hex(shared)), "sha256")
    key = hmac.digest(pseudo_random_key, _DERIVED_KEY_INFO, "sha256")[:16]
    message = (
        pool_name(challenge.user_pool_id).encode()
        + challenge.user_id_for_srp.encode()
        + base64.b64decode(challenge.secret_block)
        + timestamp.encode()
    )
    return base64.b64encode(hmac.digest(key, message, "sha256")).decode()


def claim_is_valid(challenge: ServerChallenge, signature: str, timestamp: str) -> bool:
    return hmac.compare_digest(expected_signature(challenge, timestamp), signature)
