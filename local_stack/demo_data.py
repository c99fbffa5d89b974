"""A few upcoming events with hosts, RSVPs and comments, written through the same logic the API uses."""

from __future__ import annotations

from datetime import datetime, timedelta

from resolvers.identity import Caller
from resolvers.logic import comments, events, seats
from resolvers.store import GatherStore

DEMO_EVENTS = (
    ("Ada", "Python meetup: type hints in practice", "Lightning talks and pizza.", "Hackspace, main hall", 3, 2, 40),
    ("Grace", "Community garden work day", "Bring gloves; tools provided.", "Northside garden", 5, 4, 15),
    ("Linus", "Beginners' chess evening", None, "Café Rook", 7, 3, 2),
    ("Ada", "Serverless GraphQL workshop", "Hands-on: AppSync, Lambda and DynamoDB.", "Library, room 4", 10, 3, 20),
)
"""Host's username, title, description, venue, days from now, hours long, capacity."""

SHOWCASE_EVENT = DEMO_EVENTS[0][1]
"""The title of the demo event the README's screenshots and the quality gates show."""

DEMO_COMMENTS = ("Looking forward to it!", "Is there parking nearby?", "I can bring snacks.")


def has_events(store: GatherStore, now: datetime) -> bool:
    page = events.list_upcoming(store, 1, None, now, b"demo-check")
    return bool(page["items"])


def seed_demo_data(store: GatherStore, now: datetime, people: dict[str, Caller]) -> int:
    """Creates the demo events as the demo users (by username); returns how many."""
    for host_name, title, description, venue, in_days, hours, capacity in DEMO_EVENTS:
        host = people[host_name]
        starts_at = (now + timedelta(days=in_days)).replace(hour=18, minute=0, second=0, microsecond=0)
        event = events.create_event(
            store,
            host,
            {
                "title": title,
                "description": description,
                "venue": venue,
                "startsAt": starts_at.isoformat(),
                "endsAt": (starts_at + timedelta(hours=hours)).isoformat(),
                "capacity": capacity,
            },
            now,
        )
        for guest in people.values():
            if guest != host:
                seats.rsvp(store, guest, event["id"], now)
        for offset, (author, text) in enumerate(zip(people.values(), DEMO_COMMENTS, strict=True)):
            comments.comment_on_event(store, author, event["id"], text, now + timedelta(seconds=offset))
    return len(DEMO_EVENTS)
