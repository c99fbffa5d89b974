"""The demo data shows the product: time zones, a full event with a waitlist and a nearly full event,
conversations, who's going."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from local_stack.demo_data import DEMO_EVENTS, SHOWCASE_EVENT, has_events, seed_demo_data
from resolvers.identity import Caller
from resolvers.logic import comments, events, seats
from resolvers.store import GatherStore
from tests.unit.conftest import NOW, SECRET

DEMO_USERS = {name: Caller(f"{name.lower()}-sub", name) for name in ("Ada", "Grace", "Linus")}


def test_demo_events_show_what_the_product_does(store: GatherStore) -> None:
    assert not has_events(store, NOW)
    assert seed_demo_data(store, NOW, DEMO_USERS) == len(DEMO_EVENTS)
    assert has_events(store, NOW)
    listed = events.list_upcoming(store, 100, None, NOW, SECRET, details=True)["items"]
    assert sorted(event["title"] for event in listed) == sorted(demo.title for demo in DEMO_EVENTS)

    assert len({event["timeZone"] for event in listed}) >= 5, "events in several time zones"
    for event in listed:  # at an hour people meet, where the event happens
        local = datetime.fromisoformat(event["startsAt"]).astimezone(ZoneInfo(event["timeZone"]))
        assert 6 <= local.hour <= 19, (event["title"], local)
    free = {event["title"]: event["capacity"] - event["attendeeCount"] for event in listed}
    assert sorted(free.values())[:2] == [0, 1], "one full event and one nearly full"
    assert [event["waitlistCount"] for event in listed if free[event["title"]] == 0] == [2], "people wait for a seat"

    ids = [event["id"] for event in listed]
    conversations = comments.comments_pages(store, [(event_id, {"limit": 20}) for event_id in ids], SECRET)
    texts = [tuple(comment["content"] for comment in page["items"]) for page in conversations]
    assert all(texts), "every event has comments"
    assert len({text for thread in texts for text in thread}) == sum(len(thread) for thread in texts), "no repeats"
    authors = {
        comment["author"]["displayName"] for page in conversations for comment in page["items"] if comment["author"]
    }
    assert {"Ada", "Grace", "Linus"} < authors

    going = seats.attendees_pages(store, [(event_id, {"limit": 100}) for event_id in ids], SECRET)
    by_title = {event["title"]: page for event, page in zip(listed, going, strict=True)}
    people: dict[str, str] = {}
    for event in listed:
        attendees = by_title[event["title"]]["items"]
        assert len(attendees) == event["attendeeCount"], event["title"]
        people.update((person["id"], person["displayName"]) for person in attendees)
    assert len(set(people.values())) == len(people), "a guest at several events is one person, with one id"
    showcase = next(event for event in listed if event["title"] == SHOWCASE_EVENT)
    assert "\n\n" in (showcase["description"] or ""), "a description with paragraphs"
    assert len(by_title[SHOWCASE_EVENT]["items"]) >= 10, "who's going shows a crowd"
