"""Opaque nextTokens: a DynamoDB position, signed so a client can neither forge nor reuse it elsewhere."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from resolvers.errors import InvalidNextToken


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode_token(scope: str, position: dict[str, str] | None, secret: bytes) -> str | None:
    """``scope`` names the list (and its parent), so a token from one list is refused by another."""
    if position is None:
        return None
    body = json.dumps({"s": scope, "p": position}, separators=(",", ":"), sort_keys=True).encode()
    signature = hmac.new(secret, body, hashlib.sha256).digest()
    return f"{_b64(body)}.{_b64(signature)}"


def decode_token(scope: str, token: str | None, secret: bytes) -> dict[str, str] | None:
    if token is None:
        return None
    try:
        body_text, signature_text = token.split(".")
        body, signature = _unb64(body_text), _unb64(signature_text)
    except (ValueError, TypeError):
        raise InvalidNextToken("nextToken is malformed") from None
    expected = hmac.new(secret, body, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise InvalidNextToken("nextToken was not issued by this API or was altered")
    payload: dict[str, Any] = json.loads(body)
    if payload.get("s") != scope:
        raise InvalidNextToken("nextToken belongs to another list")
    position = payload.get("p")
    if not isinstance(position, dict) or not all(isinstance(v, str) for v in position.values()):
        raise InvalidNextToken("nextToken is malformed")
    return position
