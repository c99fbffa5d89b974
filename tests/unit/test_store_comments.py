"""resolvers/store/comments.py on moto: comments numbered in commit order, and each event's head of the newest."""

from __future__ import annotations

import pytest

from resolvers.errors import NotFound
from resolvers.logic.validation import COMMENT_MAX
from resolvers.records import CommentRecord, UserRecord
from resolvers.store import GatherStore
from resolvers.store.attributes import READ_UNIT_BYTES, item_size
from resolvers.store.comments import PREVIEW_SIZE, position_after, position_at
from resolvers.table_definition import comments_head_key
from tests.unit.conftest import ADA_USER, event_record

BOB = UserRecord(id="bob", displayName="Bob")
WIDEST = "\U0001f389"
"""Four bytes in UTF-8: the longest comment the validation allows is COMMENT_MAX of these (8 KB)."""
LONGEST = "L" + WIDEST * (COMMENT_MAX - 1)
MIDDLING = "M" + WIDEST * 349
"""1.4 KB: two fit in a head, three do not."""


def _post(store: GatherStore, count: int, event_id: str = "e1") -> list[CommentRecord]:
    return [store.comments.add(event_id, BOB, f"c{n}", f"2030-05-01T12:00:{n:02d}.000Z") for n in range(count)]


def test_comments_are_numbered_in_commit_order_and_the_head_keeps_the_newest(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    posted = _post(store, PREVIEW_SIZE + 2)
    assert [c["id"] for c in posted] == sorted(c["id"] for c in posted)
    head = store.comments.head("e1", consistent=True)
    assert (head.last, head.count, head.stored) == (len(posted), len(posted), True)
    assert head.newest == list(reversed(posted))[:PREVIEW_SIZE]
    assert store.comments.get("e1", posted[0]["id"]) == posted[0]
    assert store.users.get_many(["bob"]) == {"bob": BOB}, "the author can be named"


def test_created_at_never_goes_below_the_newest_comments(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    late = store.comments.add("e1", BOB, "late clock", "2030-05-01T12:00:09.000Z")
    early = store.comments.add("e1", BOB, "early clock", "2030-05-01T12:00:01.000Z")
    assert early["id"] > late["id"]
    assert early["createdAt"] == late["createdAt"]


def test_a_comment_on_a_missing_event_is_refused_and_writes_nothing(store: GatherStore) -> None:
    with pytest.raises(NotFound):
        store.comments.add("missing", BOB, "hi", "2030-05-01T12:00:00.000Z")
    assert store.comments.head("missing").stored is False
    assert store.users.get_many(["bob"]) == {}


def test_pages_run_newest_first_and_first_pages_come_from_the_heads(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    store.events.create(event_record("quiet"), ADA_USER)
    posted = list(reversed(_post(store, PREVIEW_SIZE + 3)))
    page, position = store.comments.page("e1", 4, None)
    rest, end = store.comments.page("e1", 4, position)
    assert (page + rest, end) == (posted, None)
    pages = store.comments.first_pages([("e1", 2), ("quiet", 2), ("e1", PREVIEW_SIZE + 1)])
    assert pages[0] == (posted[:2], position_after(posted[1]))
    assert pages[1] == ([], None)
    assert pages[2][0] == posted[: PREVIEW_SIZE + 1]
    continued, _ = store.comments.page("e1", 10, pages[0][1])
    assert continued == posted[2:]


def test_deleting_a_previewed_comment_refills_the_head_from_the_table(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    posted = list(reversed(_post(store, PREVIEW_SIZE + 2)))
    store.comments.delete(posted[0])
    head = store.comments.head("e1", consistent=True)
    assert (head.count, head.newest) == (len(posted) - 1, posted[1 : PREVIEW_SIZE + 1])
    assert store.comments.get("e1", posted[0]["id"]) is None
    with pytest.raises(NotFound):
        store.comments.delete(posted[0])
    assert store.comments.head("e1", consistent=True).count == len(posted) - 1


def _table(store: GatherStore, event_id: str = "e1") -> list[CommentRecord]:
    """Every comment of the event, newest first, read consistently a page at a time."""
    comments, position = store.comments.page(event_id, 7, None, consistent=True)
    while position is not None:
        more, position = store.comments.page(event_id, 7, position, consistent=True)
        comments += more
    return comments


def _head_size(store: GatherStore, event_id: str = "e1") -> int:
    item = store.table.get(comments_head_key(event_id), consistent=True)
    assert item is not None
    return item_size(item)


def _held(store: GatherStore, event_id: str = "e1") -> list[str]:
    return [_short(c) for c in store.comments.head(event_id, consistent=True).newest]


def _short(comment: CommentRecord) -> str:
    """A comment's content, long ones by their first letter (so a failure reads)."""
    return comment["content"][:1]


def test_the_head_holds_the_newest_comments_that_fit_in_one_read_unit(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    held_after: list[list[str]] = []
    for content in ("a", "b", LONGEST, "c", MIDDLING, MIDDLING, MIDDLING, "d", LONGEST, LONGEST):
        store.comments.add("e1", BOB, content, "2030-05-01T12:00:00.000Z")
        assert _head_size(store) <= READ_UNIT_BYTES
        table = [_short(c) for c in _table(store)]
        held = _held(store)
        assert held == table[: len(held)], "the head holds the newest comments, without a gap"
        held_after.append(held)
    assert held_after[:6] == [["a"], ["b", "a"], [], ["c"], ["M", "c"], ["M", "M", "c"]]
    assert held_after[6:] == [["M", "M"], ["d", "M", "M"], [], []]
    head = store.comments.head("e1", consistent=True)
    assert (head.last, head.count) == (10, 10), "the head numbers every comment, held or not"


def test_created_at_never_goes_below_a_newest_comment_the_head_does_not_hold(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    late = store.comments.add("e1", BOB, LONGEST, "2030-05-01T12:00:09.000Z")
    assert _held(store) == []
    early = store.comments.add("e1", BOB, "early clock", "2030-05-01T12:00:01.000Z")
    assert early["createdAt"] == late["createdAt"]


def test_a_short_head_gives_fewer_than_asked_and_a_position_that_goes_on_in_the_table(store: GatherStore) -> None:
    store.events.create(event_record(), ADA_USER)
    store.events.create(event_record("long"), ADA_USER)
    posted = list(reversed([store.comments.add("e1", BOB, c, "2030-05-01T12:00:00.000Z") for c in ("a", LONGEST, "b")]))
    longs = [store.comments.add("long", BOB, LONGEST, "2030-05-01T12:00:00.000Z") for _ in range(2)]
    (items, position), (none, from_top) = store.comments.first_pages([("e1", PREVIEW_SIZE), ("long", 1)])
    assert (items, position) == (posted[:1], position_after(posted[0]))
    assert (none, from_top) == ([], position_at("long", 2))
    assert store.comments.page("e1", 10, position) == (posted[1:], None)
    assert store.comments.page("long", 10, from_top) == (list(reversed(longs)), None)
    later = store.comments.add("long", BOB, "after the first page", "2030-05-01T12:00:00.000Z")
    assert store.comments.page("long", 10, from_top)[0] == list(reversed(longs)), "a later comment is not on it"
    assert store.comments.first_pages([("long", 1)]) == [([later], position_after(later))]


@pytest.mark.parametrize(
    ("contents", "deleted", "held"),
    [
        (["a", LONGEST, "b", "c"], LONGEST, ["c", "b", "a"]),  # a long comment below the head goes: refilled
        (["a", LONGEST, "b", "c"], "a", ["c", "b"]),  # an older one goes: the head as it was
        (["a", "b", LONGEST, "c", "d"], "d", ["c"]),  # a held one goes: refilled up to the long one
        (["a", MIDDLING, MIDDLING, MIDDLING, "b"], "b", ["M", "M"]),  # refilled within the bound
        (["a", LONGEST], LONGEST, ["a"]),
    ],
)
def test_deleting_refills_the_head_within_its_bound(
    store: GatherStore, contents: list[str], deleted: str, held: list[str]
) -> None:
    store.events.create(event_record(), ADA_USER)
    posted = [store.comments.add("e1", BOB, content, "2030-05-01T12:00:00.000Z") for content in contents]
    store.comments.delete(next(c for c in posted if c["content"] == deleted))
    assert _held(store) == held
    assert _head_size(store) <= READ_UNIT_BYTES
    assert store.comments.head("e1", consistent=True).count == len(contents) - 1
