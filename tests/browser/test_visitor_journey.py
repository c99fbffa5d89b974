"""A visitor's whole path through the SPA: list → event → sign in (Cognito) → RSVP → comment → create → edit."""

from __future__ import annotations

import re

from playwright.async_api import expect

from tests.browser.helpers import OpenVisitor, account, create_event, find_in_list, get_event, unique
from tests.conftest import RunningStack


async def test_list_event_rsvp_comment_create_edit(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, title=unique("Journey picnic"), capacity=5)
    vera = await account(local_stack, "Vera")
    visitor = await open_visitor()
    page = visitor.page

    # The list: each event with its date, venue, host and seats left.
    await visitor.goto("/")
    await expect(page.get_by_role("heading", level=1, name="Upcoming events")).to_be_visible()
    first_card = page.locator(".event-list article").first
    await expect(first_card).to_be_visible()
    await expect(first_card.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\dT"))
    await expect(first_card).to_contain_text("Hosted by ")
    await expect(first_card).to_contain_text(re.compile(r"seats? left|Full"))

    # Open the event from the list (following "Load more" if it is on a later page).
    await find_in_list(page, event["title"])
    await page.get_by_role("link", name=event["title"]).click()
    await expect(page).to_have_url(visitor.url(f"/events/{event['id']}"))
    await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()
    await expect(page).to_have_title(f"{event['title']} · Gather")
    await expect(page.locator(".attendees")).to_have_text("0 going of 5 · 5 seats left")
    await expect(page.get_by_text("Made by a browser test.")).to_be_visible()

    # RSVP while signed out asks to sign in first (username and password, Cognito's InitiateAuth), then RSVPs.
    await page.get_by_role("button", name="RSVP", exact=True).click()
    dialog = page.get_by_role("dialog", name="Sign in")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_label("Username")).to_be_focused()
    await dialog.get_by_label("Username").fill(vera.username)
    await dialog.get_by_label("Password").fill(vera.password)
    await dialog.get_by_role("button", name="Sign in").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("banner")).to_contain_text("Signed in as Vera")

    # Signing in carried on with the RSVP.
    await expect(page.get_by_text("You're going! Your seat is saved.")).to_be_visible()
    await expect(page.locator(".attendees")).to_have_text("1 going of 5 · 4 seats left")
    await expect(page.get_by_role("button", name="Cancel RSVP")).to_be_visible()
    assert (await get_event(local_stack, event["id"]))["attendeeCount"] == 1

    # The session and the RSVP survive a reload (localStorage), and cancelling gives the seat back.
    await page.reload()
    await expect(page.get_by_role("banner")).to_contain_text("Signed in as Vera")
    cancel = page.get_by_role("button", name="Cancel RSVP")
    await expect(cancel).to_be_visible()
    await cancel.click()
    await expect(page.get_by_text("Your RSVP is cancelled.")).to_be_visible()
    await expect(page.locator(".attendees")).to_have_text("0 going of 5 · 5 seats left")
    await page.get_by_role("button", name="RSVP", exact=True).click()
    await expect(page.locator(".attendees")).to_have_text("1 going of 5 · 4 seats left")

    # Comment: it appears first (newest first) and is in the API.
    comment = unique("What a lovely idea")
    await page.get_by_label("Add a comment").fill(comment)
    await page.get_by_role("button", name="Post comment").click()
    await expect(page.get_by_text("Comment posted.")).to_be_visible()
    first_comment = page.locator(".comments > li").first
    await expect(first_comment).to_contain_text(comment)
    await expect(first_comment).to_contain_text("Vera")
    await expect(page.locator(".comments > li")).to_have_count(1)  # its live copy did not add it twice
    await expect(page.get_by_label("Add a comment")).to_have_value("")

    # Create an event through the form.
    await page.get_by_role("link", name="New event").click()
    await expect(page).to_have_url(visitor.url("/new"))
    await expect(page.get_by_role("heading", level=1, name="New event")).to_be_visible()
    title = unique("Board games night")
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Description").fill("Bring your favourite game.\nSnacks provided.")
    await page.get_by_label("Venue").fill("Library, room 2")
    await page.get_by_label("Starts").fill("2031-05-02T18:30")
    await page.get_by_label("Ends").fill("2031-05-02T22:00")
    await page.get_by_label("Capacity").fill("12")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await expect(page.get_by_text("Event created.")).to_be_visible()
    await expect(page.locator(".attendees")).to_have_text("0 going of 12 · 12 seats left")
    await expect(page.locator(".event-host .person-name")).to_have_text("Hosted by Vera")
    # The host's own event offers to edit and delete it.
    await expect(page.get_by_role("button", name="Delete event")).to_be_visible()
    created_id = page.url.rsplit("/", 1)[1]
    created = await get_event(local_stack, created_id)
    assert created["title"] == title
    assert created["capacity"] == 12

    # Edit it: only what changed is sent, and the page shows the new values.
    await page.get_by_role("link", name="Edit event").click()
    await expect(page).to_have_url(visitor.url(f"/events/{created_id}/edit"))
    await expect(page.get_by_label("Title")).to_have_value(title)
    await expect(page.get_by_label("Capacity")).to_have_value("12")
    await expect(page.get_by_label("Starts")).to_have_value("2031-05-02T18:30")
    await page.get_by_label("Venue").fill("Library, room 3")
    await page.get_by_label("Capacity").fill("16")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_text("Changes saved.")).to_be_visible()
    await expect(page.locator(".facts")).to_contain_text("Library, room 3")
    await expect(page.locator(".attendees")).to_have_text("0 going of 16 · 16 seats left")
    edited = await get_event(local_stack, created_id)
    assert (edited["venue"], edited["capacity"], edited["version"]) == ("Library, room 3", 16, 2)
    assert edited["startsAt"] == created["startsAt"]

    # Back goes to the form, back again to the event, as a visitor expects of a real site.
    await page.go_back()
    await expect(page).to_have_url(visitor.url(f"/events/{created_id}/edit"))
    await page.go_back()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
