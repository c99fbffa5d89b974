from __future__ import annotations

import pytest

from resolvers.errors import InvalidNextToken
from resolvers.logic.paging import decode_token, encode_token, fit_pages

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


def test_each_page_keeps_its_first_item_then_an_equal_share_of_the_rest() -> None:
    # 3 pages of 10 bytes each without items; 100 bytes of budget leaves 70 after them.
    assert fit_pages([[5, 5, 5], [20, 20, 20], []], [10, 10, 10], 100) == [3, 1, 0]
    # After the pages (30) and their firsts (5 + 20 + 1), 44 bytes are left: 14 a page.
    assert fit_pages([[5, 10, 10], [20, 14, 15], [1, 15]], [10, 10, 10], 100) == [2, 2, 1]
    assert fit_pages([[5] * 100], [0], 1000) == [100], "a page alone may take the whole budget"


def test_pages_whose_first_item_does_not_fit_keep_none_and_the_budget_holds() -> None:
    sizes = [[40, 1], [40, 1], [40, 1]]
    kept = fit_pages(sizes, [5, 5, 5], 100)
    assert kept == [2, 2, 0], "the 5 bytes left are shared: 1 each"
    assert 15 + sum(sum(page[:count]) for page, count in zip(sizes, kept, strict=True)) <= 100
    assert fit_pages([[45], [10]], [5, 5], 50) == [0, 1], "a later page's first may fit where an earlier did not"
