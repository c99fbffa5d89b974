"""Demo events that show the product, written through the same logic the API uses.

Events in several time zones, at hours that make sense where they happen; a full event with a waitlist and a nearly
full one;
descriptions with paragraphs; conversations that belong to their event; and guests enough for "who's going".
The hosts and some commenters are the demo users, who can sign in; the other guests are people of the demo
alone (stable ids, no account), as the API shows any user: by display name."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from resolvers.identity import Caller
from resolvers.logic import comments, events, seats, waitlist
from resolvers.store import GatherStore

GUESTS = (
    "Amara Okafor",
    "Kenji Watanabe",
    "Sofia Rossi",
    "Mateo García",
    "Priya Nair",
    "Lena Fischer",
    "Noah Williams",
    "Yara Haddad",
    "Oskar Lindqvist",
    "Chloé Martin",
    "Tomás Silva",
    "Aisha Bello",
    "Jonas Berg",
    "Mei Lin",
)
"""Guests without an account; the demo users (Ada, Grace, Linus) join in by username."""


@dataclass(frozen=True)
class DemoEvent:
    host: str
    title: str
    description: str | None
    venue: str
    time_zone: str
    in_days: int
    local_start: time
    hours: float
    capacity: int
    guests: int
    """How many seats are taken: the demo users first (but the host), then the guests in order."""
    waiting: int = 0
    """How many of the next people in that order wait for a seat (a full event's waitlist)."""
    conversation: tuple[tuple[str, str], ...] = ()
    """(author, text), oldest first; an author is a demo user or a guest."""


DEMO_EVENTS = (
    DemoEvent(
        host="Ada",
        title="Python meetup: type hints in practice",
        description=(
            "Three short talks on typing real code: gradual typing without the pain, Protocols and TypedDict "
            "at work, and what strict mode caught for a team that turned it on.\n\n"
            "Pizza and drinks from 18:00, talks from 18:30. Beginners are very welcome."
        ),
        venue="c-base, Rungestraße 20, 10179 Berlin",
        time_zone="Europe/Berlin",
        in_days=3,
        local_start=time(18, 30),
        hours=2.5,
        capacity=40,
        guests=12,
        conversation=(
            ("Grace", "Looking forward to it! Will the slides be shared afterwards?"),
            ("Ada", "Yes, we'll post them here the same evening."),
            ("Kenji Watanabe", "Is there step-free access to the venue?"),
            ("Ada", "There is: the side entrance on Rungestraße has a ramp."),
            ("Sofia Rossi", "Bringing two colleagues who are new to typing. 🙌"),
            ("Linus", "I can give a five-minute lightning talk on typed dataclasses if there's a slot."),
        ),
    ),
    DemoEvent(
        host="Grace",
        title="Community garden work day",
        description=(
            "Spring planting in the shared beds: tomatoes, beans and herbs.\n\n"
            "Bring gloves and water; tools and seedlings are provided. Kids welcome with an adult."
        ),
        venue="Prospect Park, Brooklyn, New York",
        time_zone="America/New_York",
        in_days=5,
        local_start=time(10, 0),
        hours=4,
        capacity=12,
        guests=11,
        conversation=(
            ("Mateo García", "What happens if it rains?"),
            ("Grace", "Light rain, we carry on; a storm, we move it to Sunday. I'll post here by 8 am."),
            ("Priya Nair", "I have spare gloves if anyone needs a pair."),
        ),
    ),
    DemoEvent(
        host="Linus",
        title="Beginners' chess evening",
        description="Learn the openings with friendly players. Boards and clocks provided.",
        venue="Oodi Central Library, Töölönlahdenkatu 4, Helsinki",
        time_zone="Europe/Helsinki",
        in_days=2,
        local_start=time(17, 0),
        hours=3,
        capacity=6,
        guests=6,
        waiting=2,
        conversation=(
            ("Oskar Lindqvist", "Full already! Will there be another one next month?"),
            ("Linus", "Yes, and in a bigger room."),
        ),
    ),
    DemoEvent(
        host="Ada",
        title="Serverless GraphQL workshop",
        description=(
            "Hands-on: an AppSync API with Python Lambda resolvers over DynamoDB, from the schema to live "
            "subscriptions.\n\nBring a laptop with Python 3.11 or newer. No AWS account needed: we work locally."
        ),
        venue="San Francisco Public Library, 100 Larkin St, San Francisco",
        time_zone="America/Los_Angeles",
        in_days=10,
        local_start=time(9, 30),
        hours=6,
        capacity=20,
        guests=4,
        conversation=(("Noah Williams", "Is lunch included?"), ("Ada", "Sandwiches at noon, on us.")),
    ),
    DemoEvent(
        host="Grace",
        title="Sunrise run along the river",
        description="An easy 5 km at conversation pace, then coffee. All speeds welcome.",
        venue="Yoyogi Park, Shibuya, Tokyo",
        time_zone="Asia/Tokyo",
        in_days=4,
        local_start=time(6, 30),
        hours=1.5,
        capacity=30,
        guests=3,
        conversation=(("Mei Lin", "Meeting point at the main gate?"), ("Grace", "Yes, by the big map.")),
    ),
    DemoEvent(
        host="Linus",
        title="Open-source documentation sprint",
        description=(
            "A day of improving the docs of projects we all use. We pair newcomers with maintainers.\n\n"
            "Pick an issue from the board when you arrive."
        ),
        venue="State Library Victoria, 328 Swanston St, Melbourne",
        time_zone="Australia/Melbourne",
        in_days=8,
        local_start=time(10, 0),
        hours=7,
        capacity=25,
        guests=4,
        conversation=(("Aisha Bello", "First sprint for me. Anything to install beforehand?"),),
    ),
)

SHOWCASE_EVENT = DEMO_EVENTS[0].title
"""The title of the demo event the README's screenshots and the quality gates show."""

_GUEST_IDS = uuid.UUID("6a1d3c52-5f0e-4d8b-9a57-2f4e8c1b7d90")


def guest(name: str) -> Caller:
    """A demo guest: a stable id from the name, so every seeding names the same person the same way."""
    return Caller(str(uuid.uuid5(_GUEST_IDS, name)), name)


def has_events(store: GatherStore, now: datetime) -> bool:
    page = events.list_upcoming(store, 1, None, now, b"demo-check")
    return bool(page["items"])


def starts_at(demo: DemoEvent, now: datetime) -> datetime:
    """The event's local start, ``in_days`` after today where it happens."""
    zone = ZoneInfo(demo.time_zone)
    day = now.astimezone(zone).date() + timedelta(days=demo.in_days)
    return datetime.combine(day, demo.local_start, tzinfo=zone).astimezone(UTC)


def _seed_one(store: GatherStore, demo: DemoEvent, now: datetime, people: dict[str, Caller]) -> None:
    start = starts_at(demo, now)
    event = events.create_event(
        store,
        people[demo.host],
        {
            "title": demo.title,
            "description": demo.description,
            "venue": demo.venue,
            "startsAt": start.isoformat(),
            "endsAt": (start + timedelta(hours=demo.hours)).isoformat(),
            "timeZone": demo.time_zone,
            "capacity": demo.capacity,
        },
        now - timedelta(days=2),
    )
    attendees = [person for name, person in people.items() if name != demo.host and name not in GUESTS]
    attendees += [people[name] for name in GUESTS]
    for person in attendees[: demo.guests]:
        seats.rsvp(store, person, event["id"], now)
    for person in attendees[demo.guests : demo.guests + demo.waiting]:
        waitlist.join_waitlist(store, person, event["id"], now)
    # Oldest first, spread over the last day, so the page shows a conversation that grew.
    for number, (author, text) in enumerate(demo.conversation):
        posted = now - timedelta(hours=20) + timedelta(minutes=47 * number)
        comments.comment_on_event(store, people[author], event["id"], text, posted)


def seed_demo_data(store: GatherStore, now: datetime, people: dict[str, Caller]) -> int:
    """Creates the demo events as the demo users (by username) and guests; returns how many."""
    everyone = {**people, **{name: guest(name) for name in GUESTS}}
    for demo in DEMO_EVENTS:
        _seed_one(store, demo, now, everyone)
    return len(DEMO_EVENTS)
