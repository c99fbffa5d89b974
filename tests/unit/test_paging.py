from __future__ import annotations

import pytest

from resolvers.errors import InvalidNextToken
from resolvers.logic.paging import decode_token, encode_token

POSITION = {"PK": "EVENT#1", "SK": "EVENT"}


def test_round_trip() -> None:
    token = encode_token("listEvents", POSITION, b"k")
    assert token is not None
    assert decode_token("listEvents", token, b"k") == POSITION


def test_no_position_means_no_token() -> None:
    assert encode_token("listEvents", None, b"k") is None
    assert decode_token("listEvents", None, b"k") is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: "x" + t,
        lambda t: t.replace(".", ""),
        lambda t: t + ".extra",
        lambda _: "",
    ],
)
def test_altered_tokens_are_refused(mangle) -> None:  # type: ignore[no-untyped-def]
    token = encode_token("listEvents", POSITION, b"k")
    assert token is not None
    with pytest.raises(InvalidNextToken):
        decode_token("listEvents", mangle(token), b"k")


def test_token_from_another_scope_or_key_is_refused() -> None:
    token = encode_token("comments:1", POSITION, b"k")
    with pytest.raises(InvalidNextToken):
        decode_token("comments:2", token, b"k")
    with pytest.raises(InvalidNextToken):
        decode_token("comments:1", token, b"other-key")
