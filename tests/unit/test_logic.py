"""Business rules over a moto table: what is accepted, what is refused, and that refusals write nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast, get_type_hints

import pytest

from resolvers.errors import (
    AlreadyRsvped,
    CapacityBelowAttendance,
    EventFull,
    InvalidNextToken,
    NotFound,
    NotRsvped,
    Unauthorized,
    ValidationError,
    VersionConflict,
)
from resolvers.identity import ADMINS_GROUP, Caller
from resolvers.inputs import EventInput, PageArguments
from resolvers.logic import comments, events, seats, users
from resolvers.logic.stream_changes import ItemChange, follow
from resolvers.records import CommentResult, EventRecord
from resolvers.store import GatherStore
from resolvers.store.comments import PREVIEW_SIZE
from resolvers.table_definition import event_counts_key
from tests.unit.conftest import ADA, BOB, NOW, SECRET


def _fields(**overrides: Any) -> EventInput:
    fields: dict[str, Any] = {
        "title": "Meetup",
        "venue": "Hall",
        "startsAt": "2030-06-01T18:00:00+02:00",
        "endsAt": "2030-06-01T20:00:00+02:00",
        "capacity": 2,
    }
    fields.update(overrides)
    return cast("EventInput", fields)


def _all_items(store: GatherStore) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = store.client.scan(TableName=store.table_name)["Items"]
    return items


def test_create_normalises_times_to_utc(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(), NOW)
    assert event["startsAt"] == "2030-06-01T16:00:00.000Z"
    assert store.events.get(event["id"]) == event
    assert store.users.get_many(["ada"]) == {"ada": {"id": "ada", "displayName": "Ada"}}


@pytest.mark.parametrize(
    "overrides",
    [
        {"startsAt": "2030-06-01"},
        {"startsAt": "2030-06-01T18:00:00"},
        {"endsAt": "2030-06-01T17:00:00+02:00"},
        {"startsAt": "2030-04-01T18:00:00Z", "endsAt": "2030-04-01T19:00:00Z"},
        {"capacity": 0},
        {"capacity": 100_001},
        {"title": ""},
        {"venue": "v" * 201},
    ],
)
def test_invalid_events_write_nothing(store: GatherStore, overrides: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        events.create_event(store, ADA, _fields(**overrides), NOW)
    assert _all_items(store) == []


def test_upcoming_lists_in_start_order_and_skips_past_events(store: GatherStore) -> None:
    later = events.create_event(
        store, ADA, _fields(startsAt="2030-07-01T10:00:00Z", endsAt="2030-07-01T11:00:00Z"), NOW
    )
    sooner = events.create_event(store, ADA, _fields(), NOW)
    page = events.list_upcoming(store, 1, None, NOW, SECRET)
    assert [e["id"] for e in page["items"]] == [sooner["id"]]
    rest = events.list_upcoming(store, 5, page["nextToken"], NOW, SECRET)
    assert [e["id"] for e in rest["items"]] == [later["id"]]
    after_both = events.list_upcoming(store, 5, None, NOW + timedelta(days=365), SECRET)
    assert after_both["items"] == []


def test_update_checks_version_and_merged_schedule(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(), NOW)
    with pytest.raises(ValidationError, match="endsAt"):
        events.update_event(
            store, ADA, {"id": event["id"], "expectedVersion": 1, "endsAt": "2030-06-01T15:00:00Z"}, NOW
        )
    moved = events.update_event(
        store, ADA, {"id": event["id"], "expectedVersion": 1, "startsAt": "2030-06-01T17:00:00Z"}, NOW
    )
    assert (moved["version"], moved["startsAt"], moved["endsAt"]) == (
        2,
        "2030-06-01T17:00:00.000Z",
        "2030-06-01T18:00:00.000Z",
    )
    assert events.list_upcoming(store, 1, None, NOW, SECRET)["items"][0]["startsAt"] == moved["startsAt"]
    with pytest.raises(VersionConflict):
        events.update_event(store, ADA, {"id": event["id"], "expectedVersion": 1, "title": "x"}, NOW)
    with pytest.raises(NotFound):
        events.update_event(store, ADA, {"id": "missing", "expectedVersion": 1, "title": "x"}, NOW)


def test_version_guard_holds_between_read_and_write(store: GatherStore) -> None:
    """A concurrent edit that lands after the logic's read still loses nothing: the write's condition refuses."""
    event = events.create_event(store, ADA, _fields(), NOW)
    store.events.update(event["id"], {"title": "Theirs"}, 1, "2030-05-01T12:00:01.000Z")
    with pytest.raises(VersionConflict):
        store.events.update(event["id"], {"title": "Mine"}, 1, "2030-05-01T12:00:02.000Z")
    assert store.events.get(event["id"])["title"] == "Theirs"  # type: ignore[index]


def test_seats(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(capacity=1), NOW)
    assert seats.rsvp(store, BOB, event["id"], NOW)["attendeeCount"] == 1
    with pytest.raises(AlreadyRsvped):
        seats.rsvp(store, BOB, event["id"], NOW)
    with pytest.raises(EventFull):
        seats.rsvp(store, ADA, event["id"], NOW)
    with pytest.raises(CapacityBelowAttendance):
        store.events.update(event["id"], {"capacity": 0}, 1, "2030-05-01T12:00:01.000Z")
    assert seats.cancel_rsvp(store, BOB, event["id"])["attendeeCount"] == 0
    with pytest.raises(NotRsvped):
        seats.cancel_rsvp(store, BOB, event["id"])
    with pytest.raises(NotFound):
        seats.rsvp(store, BOB, "missing", NOW)


def _read_all(store: GatherStore, event_id: str, first: int, then: int) -> list[str]:
    """Every comment's content, paging as a client does: ``first`` on page 1, ``then`` after."""
    page = comments.comments_pages(store, [(event_id, PageArguments(limit=first))], SECRET)[0]
    read = [c["content"] for c in page["items"]]
    while page["nextToken"]:
        page = comments.comments_pages(
            store, [(event_id, PageArguments(limit=then, nextToken=page["nextToken"]))], SECRET
        )[0]
        read.extend(c["content"] for c in page["items"])
    return read


def test_comments_page_newest_first_from_the_head_and_then_the_table(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(), NOW)
    texts = [f"c{n}" for n in range(PREVIEW_SIZE + 5)]
    for n, text in enumerate(texts):
        comments.comment_on_event(store, BOB, event["id"], text, NOW + timedelta(seconds=n))
    head = store.comments.head(event["id"])
    assert (head.count, head.last) == (len(texts), len(texts))
    assert [c["content"] for c in head.newest] == list(reversed(texts))[:PREVIEW_SIZE]
    for first, then in ((1, 1), (PREVIEW_SIZE, 2), (PREVIEW_SIZE + 1, 6), (100, 100)):
        assert _read_all(store, event["id"], first, then) == list(reversed(texts)), (first, then)


def test_comments_are_numbered_in_commit_order_whatever_their_clock_says(store: GatherStore) -> None:
    """A writer whose clock reads earlier than the newest comment still lands on top, with createdAt raised to match."""
    event = events.create_event(store, ADA, _fields(), NOW)
    late = comments.comment_on_event(store, BOB, event["id"], "first committed", NOW + timedelta(seconds=5))
    early = comments.comment_on_event(store, ADA, event["id"], "second committed", NOW)
    assert early["id"] > late["id"]
    assert early["createdAt"] == late["createdAt"]
    assert _read_all(store, event["id"], 1, 1) == ["second committed", "first committed"]


def test_first_pages_of_many_events_come_from_one_batch_get(store: GatherStore) -> None:
    quiet = events.create_event(store, ADA, _fields(), NOW)
    busy = events.create_event(store, ADA, _fields(), NOW)
    for n in range(PREVIEW_SIZE + 1):
        comments.comment_on_event(store, BOB, busy["id"], f"b{n}", NOW)
    calls: list[str] = []
    store.client.meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))
    asked = [
        (busy["id"], PageArguments(limit=2)),
        (quiet["id"], PageArguments(limit=2)),
        (busy["id"], PageArguments(limit=1)),
    ]
    pages = comments.comments_pages(store, asked, SECRET)
    assert calls == ["BatchGetItem", "BatchGetItem"], "the heads, then the authors"
    assert [[c["content"] for c in page["items"]] for page in pages] == [["b3", "b2"], [], ["b3"]]
    assert [page["nextToken"] is not None for page in pages] == [True, False, True]
    assert pages[0]["items"][0]["author"] == {"id": "bob", "displayName": "Bob"}
    calls.clear()
    without = comments.comments_pages(store, asked, SECRET, authors=False)
    assert calls == ["BatchGetItem"]
    assert without[0]["items"][0]["author"] is None


def test_delete_removes_the_event_and_leaves_its_children_to_the_stream_consumer(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(), NOW)
    seats.rsvp(store, BOB, event["id"], NOW)
    comments.comment_on_event(store, BOB, event["id"], "hi", NOW)
    before = _all_items(store)
    assert events.delete_event(store, ADA, event["id"])["id"] == event["id"]
    assert events.get_event(store, event["id"]) is None
    removed = [item for item in before if item not in _all_items(store)]
    assert sorted((item["PK"]["S"], item["SK"]["S"]) for item in removed) == [
        (f"EVENT#{event['id']}", "EVENT"),
        (f"EVENT#{event['id']}", "EVENT#COUNTS"),
    ], "the event and its counts: no seat can be taken any more"
    with pytest.raises(NotFound):
        events.delete_event(store, ADA, event["id"])
    with pytest.raises(NotFound):
        seats.rsvp(store, ADA, event["id"], NOW)


def test_only_the_host_or_an_admin_edits_or_deletes_an_event(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(), NOW)
    admin = Caller("root", "Root", groups=(ADMINS_GROUP,))
    with pytest.raises(Unauthorized):
        events.update_event(store, BOB, {"id": event["id"], "expectedVersion": 1, "title": "Mine now"}, NOW)
    with pytest.raises(Unauthorized):
        events.delete_event(store, BOB, event["id"])
    assert store.events.get(event["id"]) == event
    edited = events.update_event(store, admin, {"id": event["id"], "expectedVersion": 1, "title": "Moderated"}, NOW)
    assert edited["title"] == "Moderated"
    assert events.delete_event(store, ADA, event["id"])["id"] == event["id"]


def test_a_comment_is_deleted_by_its_author_the_host_or_an_admin_and_leaves_the_preview(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(), NOW)
    mine = comments.comment_on_event(store, BOB, event["id"], "mine", NOW)
    other = comments.comment_on_event(store, BOB, event["id"], "other", NOW + timedelta(seconds=1))
    moderated = comments.comment_on_event(store, BOB, event["id"], "moderated", NOW + timedelta(seconds=2))
    stranger = Caller("carol", "Carol")
    admin = Caller("root", "Root", groups=(ADMINS_GROUP,))
    with pytest.raises(Unauthorized):
        comments.delete_comment(store, stranger, event["id"], mine["id"])
    assert comments.delete_comment(store, admin, event["id"], moderated["id"])["content"] == "moderated"
    assert comments.delete_comment(store, BOB, event["id"], mine["id"])["content"] == "mine"
    assert comments.delete_comment(store, ADA, event["id"], other["id"])["content"] == "other"
    with pytest.raises(NotFound):
        comments.delete_comment(store, ADA, event["id"], mine["id"])
    head = store.comments.head(event["id"])
    assert (head.newest, head.count) == ([], 0)
    assert comments.comments_pages(store, [(event["id"], {})], SECRET)[0]["items"] == []


def test_deleting_a_previewed_comment_refills_the_head_from_the_table(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(), NOW)
    posted = [comments.comment_on_event(store, BOB, event["id"], f"c{n}", NOW) for n in range(PREVIEW_SIZE + 2)]
    comments.delete_comment(store, BOB, event["id"], posted[-1]["id"])
    comments.delete_comment(store, BOB, event["id"], posted[1]["id"])
    head = store.comments.head(event["id"])
    remaining = [c["content"] for c in reversed(posted) if c not in (posted[-1], posted[1])]
    assert [c["content"] for c in head.newest] == remaining[:PREVIEW_SIZE]
    assert head.count == len(remaining)
    assert _read_all(store, event["id"], 2, 1) == remaining


def test_me_is_the_caller_named_as_they_chose(store: GatherStore) -> None:
    assert users.me(store, BOB) == {"id": "bob", "displayName": "Bob"}
    assert users.set_display_name(store, BOB, "  Bobby Tables ") == {"id": "bob", "displayName": "Bobby Tables"}
    event = events.create_event(store, BOB, _fields(), NOW)  # a write does not put the sign-in's name back
    assert users.me(store, BOB) == {"id": "bob", "displayName": "Bobby Tables"}
    assert store.users.get_many([event["hostId"]])["bob"]["displayName"] == "Bobby Tables"
    for bad in ("", "   ", "x" * 61):
        with pytest.raises(ValidationError, match=r"^displayName"):
            users.set_display_name(store, BOB, bad)
    assert users.me(store, BOB)["displayName"] == "Bobby Tables"


def test_time_zones_are_iana_names(store: GatherStore) -> None:
    assert events.create_event(store, ADA, _fields(), NOW)["timeZone"] == "UTC"
    event = events.create_event(store, ADA, _fields(timeZone="Europe/Berlin"), NOW)
    assert store.events.get(event["id"])["timeZone"] == "Europe/Berlin"  # type: ignore[index]
    for bad in ("Mars/Olympus", "+02:00", "../../etc/passwd", ""):
        with pytest.raises(ValidationError, match=r"^timeZone"):
            events.create_event(store, ADA, _fields(timeZone=bad), NOW)
        with pytest.raises(ValidationError, match=r"^timeZone"):
            events.update_event(store, ADA, {"id": event["id"], "expectedVersion": 1, "timeZone": bad}, NOW)
    edited = events.update_event(store, ADA, {"id": event["id"], "expectedVersion": 1, "timeZone": "Asia/Tokyo"}, NOW)
    assert edited["timeZone"] == "Asia/Tokyo"


def test_ongoing_events_stay_listed_until_they_end(store: GatherStore) -> None:
    event = events.create_event(store, ADA, _fields(), NOW)  # 2030-06-01 16:00 to 18:00 UTC
    during = NOW.replace(month=6, day=1, hour=17)
    after = NOW.replace(month=6, day=1, hour=18)
    assert [e["id"] for e in events.list_upcoming(store, None, None, during, SECRET)["items"]] == [event["id"]]
    assert events.list_upcoming(store, None, None, after, SECRET)["items"] == []
    with pytest.raises(ValidationError, match=r"^endsAt must be at most 14 days"):
        events.create_event(store, ADA, _fields(endsAt="2030-06-20T20:00:00+02:00"), NOW)


def test_a_filtered_page_is_filled_from_further_reads(store: GatherStore) -> None:
    """Events that ended are skipped without leaving a short page while more follow."""
    ended = [events.create_event(store, ADA, _fields(endsAt="2030-06-01T18:30:00+02:00"), NOW) for _ in range(3)]
    later = [events.create_event(store, ADA, _fields(endsAt="2030-06-02T20:00:00+02:00"), NOW) for _ in range(3)]
    during = NOW.replace(month=6, day=1, hour=17)
    page = events.list_upcoming(store, 2, None, during, SECRET)
    assert len(page["items"]) == 2
    assert {e["id"] for e in page["items"]} <= {e["id"] for e in ended + later}
    everything = events.list_upcoming(store, 100, None, NOW.replace(month=6, day=2), SECRET)["items"]
    assert {e["id"] for e in everything} == {e["id"] for e in later}


def test_has_seat_and_my_rsvps_are_the_callers_own(store: GatherStore) -> None:
    first = events.create_event(store, ADA, _fields(), NOW)
    second = events.create_event(
        store, ADA, _fields(startsAt="2030-05-20T18:00:00Z", endsAt="2030-05-20T19:00:00Z"), NOW
    )
    third = events.create_event(store, ADA, _fields(), NOW)
    for event in (first, second):
        seats.rsvp(store, BOB, event["id"], NOW)
    ids = [first["id"], second["id"], third["id"]]
    assert seats.has_seats(store, [BOB, BOB, BOB], ids) == [True, True, False]
    assert seats.has_seats(store, [ADA, None, BOB], ids) == [False, None, False]
    page = seats.my_rsvps(store, BOB, {"limit": 1}, NOW, SECRET)
    assert [e["id"] for e in page["items"]] == [second["id"]]
    rest = seats.my_rsvps(store, BOB, {"limit": 1, "nextToken": page["nextToken"]}, NOW, SECRET)
    assert ([e["id"] for e in rest["items"]], rest["nextToken"]) == ([first["id"]], None)
    seats.cancel_rsvp(store, BOB, second["id"])
    assert [e["id"] for e in seats.my_rsvps(store, BOB, {}, NOW, SECRET)["items"]] == [first["id"]]
    events.delete_event(store, ADA, first["id"])
    assert seats.my_rsvps(store, BOB, {}, NOW, SECRET)["items"] == []
    assert seats.my_rsvps(store, BOB, {}, NOW.replace(month=6, day=2), SECRET)["items"] == []


def test_my_rsvps_reads_upcoming_seats_only_and_follows_a_changed_start(store: GatherStore) -> None:
    """Seats of events that started before the longest event could still run are never read; a moved start
    reorders the page once the stream consumer has moved the event's seats."""
    later = NOW + timedelta(days=40)
    past = [
        events.create_event(
            store, ADA, _fields(startsAt=f"2030-05-{day:02d}T18:00:00Z", endsAt=f"2030-05-{day:02d}T19:00:00Z"), NOW
        )
        for day in (2, 3, 4)
    ]
    first = events.create_event(
        store, ADA, _fields(startsAt="2030-06-20T18:00:00Z", endsAt="2030-06-20T19:00:00Z"), NOW
    )
    second = events.create_event(
        store, ADA, _fields(startsAt="2030-06-21T18:00:00Z", endsAt="2030-06-21T19:00:00Z"), NOW
    )
    running = events.create_event(
        store, ADA, _fields(startsAt="2030-06-08T18:00:00Z", endsAt="2030-06-12T19:00:00Z"), NOW
    )
    for event in (*past, first, second, running):
        seats.rsvp(store, BOB, event["id"], NOW)
    read: list[int] = []
    store.client.meta.events.register("after-call.dynamodb.Query", lambda parsed, **_: read.append(parsed["Count"]))
    during = later.replace(day=10)  # 2030-06-10: the past events ended weeks ago, one event is still running
    assert [e["id"] for e in seats.my_rsvps(store, BOB, {}, during, SECRET)["items"]] == [
        running["id"],
        first["id"],
        second["id"],
    ]
    assert sum(read) == 3, "the past seats are not read"

    moved_start = {"startsAt": "2030-06-19T18:00:00Z", "endsAt": "2030-06-19T19:00:00Z"}
    changed = events.update_event(store, ADA, {"id": second["id"], "expectedVersion": 1, **moved_start}, NOW)  # type: ignore[typeddict-item]
    step = follow(
        store, ItemChange("MODIFY", event_counts_key(second["id"]).attributes(), dict(second), dict(changed)), NOW
    )
    assert step is not None
    assert step.done
    page = seats.my_rsvps(store, BOB, {"limit": 2}, during, SECRET)
    assert [e["id"] for e in page["items"]] == [running["id"], second["id"]]
    rest = seats.my_rsvps(store, BOB, {"limit": 2, "nextToken": page["nextToken"]}, during, SECRET)
    assert ([e["id"] for e in rest["items"]], rest["nextToken"]) == ([first["id"]], None)


def test_attendees_are_paged_with_their_names_for_many_events_at_once(store: GatherStore) -> None:
    first = events.create_event(store, ADA, _fields(), NOW)
    second = events.create_event(store, ADA, _fields(), NOW)
    empty = events.create_event(store, ADA, _fields(), NOW)
    for caller in (ADA, BOB):
        seats.rsvp(store, caller, first["id"], NOW)
    seats.rsvp(store, BOB, second["id"], NOW)
    users.set_display_name(store, BOB, "Bobby")
    requests: list[tuple[str, PageArguments]] = [(first["id"], {"limit": 1}), (second["id"], {}), (empty["id"], {})]
    one, two, none = seats.attendees_pages(store, requests, SECRET)
    assert two == {"items": [{"id": BOB.user_id, "displayName": "Bobby"}], "nextToken": None}
    assert none == {"items": [], "nextToken": None}
    rest = seats.attendees_pages(store, [(first["id"], {"nextToken": one["nextToken"]})], SECRET)[0]
    names = {user["displayName"] for user in one["items"] + rest["items"]}
    assert (names, rest["nextToken"]) == ({ADA.display_name, "Bobby"}, None)
    with pytest.raises(InvalidNextToken):  # a token from one event's list is refused by another's
        seats.attendees_pages(store, [(second["id"], {"nextToken": one["nextToken"]})], SECRET)
    seats.cancel_rsvp(store, ADA, first["id"])
    assert seats.attendees_pages(store, [(first["id"], {})], SECRET)[0]["items"] == two["items"]


def test_only_record_fields_leave_the_store(store: GatherStore) -> None:
    """Keys, index attributes and the comments head stay in storage; AppSync gets the record's fields."""
    event = events.create_event(store, ADA, _fields(), NOW)
    posted = comments.comment_on_event(store, BOB, event["id"], "hello", NOW)
    listed = events.list_upcoming(store, 5, None, NOW, SECRET)["items"][0]
    assert set(store.events.get(event["id"]) or {}) == set(EventRecord.__annotations__)
    assert set(listed) == set(get_type_hints(EventRecord)), "a listing's events carry their hosts' names"
    page = comments.comments_pages(store, [(event["id"], {})], SECRET)[0]
    assert set(page["items"][0]) == set(posted) == set(CommentResult.__annotations__)
    assert "authorId" not in CommentResult.__annotations__
