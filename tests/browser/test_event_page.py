"""The event page as a visitor uses it beyond RSVPs and comments: who is going (names for signed-in visitors
only), the place on a map, the event as an .ics file for their calendar, a link to share, and the waitlist of a full
event."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from playwright.async_api import expect

from tests.browser.helpers import Account, OpenVisitor, account, api, create_event, unique
from tests.conftest import RunningStack

RSVP = "mutation($id: ID!) { rsvp(eventId: $id) { id } }"


async def event_with_a_guest(stack: RunningStack, name: str, capacity: int) -> tuple[dict[str, Any], Account]:
    """A new event, and a new account that holds a seat at it."""
    guest = await account(stack, unique(name).replace(" ", "-"))
    event = await create_event(stack, capacity=capacity)
    await api(stack, RSVP, {"id": event["id"]}, guest.username)
    return event, guest


async def test_who_is_going_shows_names_to_signed_in_visitors_only(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    event, guest = await event_with_a_guest(local_stack, "Going", capacity=4)
    going = "section.who-is-going"

    anonymous = await open_visitor()
    await anonymous.goto(f"/events/{event['id']}")
    section = anonymous.page.locator(going)
    await expect(section).to_contain_text("1 person is going.")
    await expect(section.get_by_role("button", name="Sign in to see who")).to_be_visible()
    await expect(section.locator("li")).to_have_count(0)
    await expect(anonymous.page.locator("main")).not_to_contain_text(guest.username)

    member = await open_visitor(user="Grace")
    await member.goto(f"/events/{event['id']}")
    section = member.page.locator(going)
    await expect(section.locator("li .attendee-name")).to_have_text([guest.username])
    await expect(section.locator("li .avatar")).to_have_text([guest.username[0].upper()])
    # Taking a seat adds the visitor to the list.
    await member.page.get_by_role("button", name="RSVP", exact=True).click()
    await expect(member.page.get_by_text("You're going!")).to_be_visible()
    await expect(section.locator("li")).to_have_count(2)
    await expect(section).to_contain_text("2 people are going.")
    await expect(section.locator("li", has_text="Grace")).to_be_visible()


async def test_add_to_calendar_map_and_share(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(
        local_stack,
        title=unique("Calendar, test; night"),
        venue="Café Rook, Mühlenstraße 1",
        startsAt="2031-03-14T17:30:00Z",
        endsAt="2031-03-14T19:00:00Z",
        timeZone="Europe/Berlin",
    )
    visitor = await open_visitor(timezone_id="America/New_York")
    page = visitor.page
    await visitor.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=visitor.base_url)
    await visitor.goto(f"/events/{event['id']}")
    page_url = visitor.url(f"/events/{event['id']}")

    map_link = page.get_by_role("link", name="Open in a map")
    await expect(map_link).to_have_attribute(
        "href", f"https://www.openstreetmap.org/search?query={quote(event['venue'], safe='')}"
    )

    async with page.expect_download() as download_info:
        await page.get_by_role("button", name="Add to calendar").click()
    download = await download_info.value
    assert download.suggested_filename.endswith(".ics")
    text = Path(await download.path()).read_bytes().decode()  # as sent: lines end in CRLF
    assert text.endswith("END:VCALENDAR\r\n")
    lines = text.replace("\r\n ", "").split("\r\n")
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    assert fields["DTSTART"] == "20310314T173000Z"
    assert fields["DTEND"] == "20310314T190000Z"
    assert fields["SUMMARY"] == event["title"].replace(",", "\\,").replace(";", "\\;")
    assert fields["LOCATION"] == event["venue"].replace(",", "\\,")
    assert fields["URL"] == page_url
    assert fields["UID"] == f"event-{event['id']}@127.0.0.1"

    # Chromium on Linux has no Web Share API: the link is copied instead.
    assert await page.evaluate("typeof navigator.share") == "undefined"
    await page.get_by_role("button", name="Share").click()
    await expect(page.get_by_text("Link copied.")).to_be_visible()
    assert await page.evaluate("navigator.clipboard.readText()") == page_url


async def test_a_full_event_offers_its_waitlist_and_a_freed_seat_reaches_the_first_in_line(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    event, seated = await event_with_a_guest(local_stack, "Seated", capacity=1)

    visitor = await open_visitor(user="Grace")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    seats = page.locator("dd.attendees")
    place = page.locator(".waitlist-place")
    join = page.get_by_role("button", name="Join the waitlist")
    await expect(page.get_by_role("button", name="Event full")).to_be_disabled()
    await join.click()
    await expect(place).to_have_text("You are number 1 on the waitlist.")
    await expect(seats).to_contain_text("Full · 1 waiting")
    await page.get_by_role("button", name="Leave the waitlist").click()
    await expect(page.get_by_text("You left the waitlist.")).to_be_visible()
    await expect(place).to_be_hidden()
    await expect(seats).not_to_contain_text("waiting")

    # In line again: the seat given back goes to the first in line, and their open page shows it.
    await join.click()
    await expect(place).to_be_visible()
    await api(
        local_stack, "mutation($id: ID!) { cancelRsvp(eventId: $id) { id } }", {"id": event["id"]}, seated.username
    )
    await expect(page.get_by_role("button", name="Cancel RSVP")).to_be_visible(timeout=20_000)
    await expect(place).to_be_hidden()
    await expect(join).to_be_hidden()
    await expect(seats).to_have_text("1 going of 1 · Full")
