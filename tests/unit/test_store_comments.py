"""resolvers/store/comments.py on moto: comments numbered in commit order, and each event's head of the newest."""

from __future__ import annotations

import pytest

from resolvers.errors import NotFound
from resolvers.records import CommentRecord, UserRecord
from resolvers.store import GatherStore
from resolvers.store.comments import PREVIEW_SIZE, position_after
from tests.unit.conftest import ADA_USER, event_record

BOB = UserRecord(id="bob", displayName="Bob")


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
