"""Opaque nextTokens: a DynamoDB position, signed so a client can neither forge nor reuse it elsewhere; and how
many items each page of a batch keeps so the batch's answer fits in one invocation's payload."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
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


def fit_pages(item_sizes: Sequence[Sequence[int]], page_sizes: Sequence[int], budget: int) -> list[int]:
    """How many items each page of a batch keeps, so that the pages (``page_sizes`` each without items, plus
    their items' sizes) take at most ``budget`` bytes together.

    Each page first keeps its first item, in order while they fit, so following a nextToken always moves on
    (at the largest comment the validation allows, every page of a full batch keeps one); then each page adds
    items from an equal share of what is left, so no page crowds the others out.
    """
    kept = [0] * len(item_sizes)
    used = sum(page_sizes)
    for index, sizes in enumerate(item_sizes):
        if sizes and used + sizes[0] <= budget:
            kept[index], used = 1, used + sizes[0]
    share = max(budget - used, 0) // max(len(item_sizes), 1)
    for index, sizes in enumerate(item_sizes):
        added = 0
        while kept[index] and kept[index] < len(sizes) and added + sizes[kept[index]] <= share:
            added += sizes[kept[index]]
            kept[index] += 1
    return kept
