"""Dates in the event's own time zone, with the visitor's time beside them when it differs; form times are
wall-clock times in the event's zone; comment times name their zone; ongoing events are marked."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.async_api import expect

from tests.browser.helpers import OpenVisitor, api, create_event, find_in_list, get_event, iso, unique
from tests.conftest import RunningStack


async def test_event_times_show_in_the_events_zone_and_the_visitors(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    event = await create_event(
        local_stack, startsAt="2031-03-14T17:30:00Z", endsAt="2031-03-14T19:00:00Z", timeZone="Europe/Berlin"
    )
    await api(
        local_stack,
        'mutation($id: ID!) { commentOnEvent(eventId: $id, content: "See you there") { id } }',
        {"id": event["id"]},
        user="Hana",
    )
    # A visitor in Los Angeles: the evening in Berlin (18:30 CET), and their own morning beside it.
    visitor = await open_visitor(locale="en-US", timezone_id="America/Los_Angeles")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    when = page.locator(".facts .when")
    await expect(when.locator("time")).to_have_attribute("datetime", event["startsAt"])
    await expect(when.locator("time")).to_contain_text("6:30")
    await expect(when.locator("time")).to_contain_text("GMT+1")
    await expect(when.locator(".viewer-time")).to_contain_text("Your time:")
    await expect(when.locator(".viewer-time")).to_contain_text("10:30")
    await expect(when.locator(".viewer-time")).to_contain_text("PDT")
    # Comment times name their zone (the visitor's own).
    await expect(page.locator(".comment-meta time").first).to_contain_text(re.compile(r"P[SD]T"))

    # A visitor in Berlin with a German browser sees one time only (theirs is the event's), in the interface's
    # language: English words around German dates would be two languages on one line.
    visitor = await open_visitor(locale="de-DE", timezone_id="Europe/Berlin")
    await visitor.goto(f"/events/{event['id']}")
    when = visitor.page.locator(".facts .when")
    await expect(when.locator("time")).to_contain_text("Fri, Mar 14, 2031")
    await expect(when.locator("time")).to_contain_text("6:30")
    await expect(when.locator(".viewer-time")).to_have_count(0)


async def test_every_page_that_shows_an_events_time_shows_the_visitors_too(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    """The list card, the account page's seats and the form's preview, for a visitor in New York (German browser)
    and an event in Berlin: 18:30 there is 13:30 in New York, and both are written in English."""
    visitor = await open_visitor(user="Nia", locale="de-DE", timezone_id="America/New_York")
    page = visitor.page
    starts = datetime.now(UTC).replace(hour=17, minute=30, second=0, microsecond=0) + timedelta(days=2)
    event = await create_event(
        local_stack, user="Nia", startsAt=iso(starts), endsAt=iso(starts + timedelta(hours=2)), timeZone="Europe/Berlin"
    )
    await api(local_stack, "mutation($id: ID!) { rsvp(eventId: $id) { id } }", {"id": event["id"]}, user="Nia")
    berlin, new_york = re.compile(r"\d:30 PM GMT\+[12]$"), re.compile(r"^Your time: .*\d:30 PM E[SD]T$")

    await visitor.goto("/")
    await find_in_list(page, event["title"])
    card = page.locator(".card", has=page.get_by_role("link", name=event["title"]))
    await expect(card.locator(".when time")).to_have_text(berlin)
    await expect(card.locator(".viewer-time")).to_have_text(new_york)

    await visitor.goto("/account")
    seat = page.locator(".my-rsvps li", has=page.get_by_role("link", name=event["title"]))
    await expect(seat.locator(".when time")).to_have_text(berlin)
    await expect(seat.locator(".viewer-time")).to_have_text(new_york)

    await visitor.goto(f"/events/{event['id']}/edit")
    preview = page.locator(".when-preview")
    await expect(preview.locator("time")).to_contain_text(berlin)
    await expect(preview.locator(".viewer-time")).to_contain_text("Your time:")
    await page.get_by_label("Time zone").select_option("America/New_York")  # now the same clock: one time
    await expect(preview.locator("time")).to_contain_text(re.compile(r"\d:30 PM E[SD]T$"))
    await expect(preview.locator(".viewer-time")).to_have_count(0)


async def test_form_times_are_wall_clock_times_in_the_events_zone(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    visitor = await open_visitor(user="Zoe", timezone_id="America/New_York")
    page = visitor.page
    await visitor.goto("/new")
    await expect(page.get_by_label("Time zone")).to_have_value("America/New_York")  # the visitor's, to start with
    title = unique("Fireworks")
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Venue").fill("The pier")
    await page.get_by_label("Starts").fill("2031-07-04T21:00")
    await page.get_by_label("Ends").fill("2031-07-04T22:30")
    await page.get_by_label("Capacity").fill("300")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    event = await get_event(local_stack, page.url.rsplit("/", 1)[1])
    # New York is on daylight saving time (UTC-4) in July.
    assert event["startsAt"] == "2031-07-05T01:00:00.000Z"
    assert event["endsAt"] == "2031-07-05T02:30:00.000Z"

    # The same wall-clock times in Tokyo's zone (UTC+9) are other moments.
    await visitor.goto(f"/events/{event['id']}/edit")
    await expect(page.get_by_label("Starts")).to_have_value("2031-07-04T21:00")
    await page.get_by_label("Time zone").select_option("Asia/Tokyo")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_text("Changes saved.")).to_be_visible()
    event = await get_event(local_stack, event["id"])
    assert (event["timeZone"], event["startsAt"], event["endsAt"]) == (
        "Asia/Tokyo",
        "2031-07-04T12:00:00.000Z",
        "2031-07-04T13:30:00.000Z",
    )


async def test_an_event_that_has_started_stays_listed_as_happening_now(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    event = await create_event(local_stack, startsAt=iso(starts), endsAt=iso(starts + timedelta(hours=2)))
    visitor = await open_visitor()
    # The visitor's clock half an hour into the event (the API lists it either way until it ends).
    await visitor.page.clock.set_fixed_time(starts + timedelta(minutes=30))
    await visitor.goto("/")
    await expect(visitor.page.get_by_role("heading", level=1, name="Upcoming events")).to_be_visible()
    # Events start in 3 days (demo) or 30 (other tests): one starting within the hour is on the first page.
    card = visitor.page.locator(".card", has=visitor.page.get_by_role("link", name=event["title"]))
    await expect(card.locator(".now-badge")).to_have_text("Happening now")
    await visitor.goto(f"/events/{event['id']}")
    await expect(visitor.page.locator(".facts .now-badge")).to_have_text("Happening now")
