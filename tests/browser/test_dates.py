"""Dates shown in the visitor's locale and time zone; form times sent as ISO 8601 with the visitor's offset."""

from __future__ import annotations

from playwright.async_api import expect

from tests.browser.helpers import OpenVisitor, create_event, get_event, unique
from tests.conftest import RunningStack


async def test_event_dates_follow_the_visitors_locale_and_zone(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    event = await create_event(local_stack, startsAt="2031-03-14T09:30:00Z", endsAt="2031-03-14T11:00:00Z")
    visitor = await open_visitor(locale="de-DE", timezone_id="Asia/Tokyo")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    when = page.locator(".facts time")
    await expect(when).to_have_attribute("datetime", event["startsAt"])
    # 09:30 UTC is 18:30 in Tokyo; German dates read "14. März 2031".
    await expect(when).to_contain_text("14. März 2031")
    await expect(when).to_contain_text("18:30")
    await expect(when).to_contain_text("20:00")

    visitor = await open_visitor(locale="en-US", timezone_id="America/Los_Angeles")
    await visitor.goto(f"/events/{event['id']}")
    when = visitor.page.locator(".facts time")
    await expect(when).to_contain_text("Mar 14, 2031")
    await expect(when).to_contain_text("2:30")
    await expect(when).to_contain_text("PDT")


async def test_form_times_are_the_visitors_local_times(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    visitor = await open_visitor(user="Zoe", timezone_id="America/New_York")
    page = visitor.page
    await visitor.goto("/new")
    await expect(page.get_by_text("In your time zone (America/New_York).").first).to_be_visible()
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

    await visitor.goto(f"/events/{event['id']}/edit")
    await expect(page.get_by_label("Starts")).to_have_value("2031-07-04T21:00")
    await expect(page.get_by_label("Ends")).to_have_value("2031-07-04T22:30")
