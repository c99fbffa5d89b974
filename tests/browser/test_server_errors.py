"""The API's errors, provoked for real, reach the visitor as readable messages in the right place."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.async_api import Route, expect

from tests.browser.helpers import (
    OpenVisitor,
    Visitor,
    account,
    api,
    create_event,
    get_event,
    unique,
    without_live_updates,
)
from tests.conftest import RunningStack

RSVP = "mutation($id: ID!) { rsvp(eventId: $id) { id attendeeCount } }"


async def test_rsvp_to_an_event_that_filled_up_meanwhile(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """Without live updates (a network that blocks WebSockets) the page learns it from the API's EventFull."""
    event = await create_event(local_stack, capacity=1)
    visitor = await open_visitor(user="Larry")
    page = visitor.page
    await without_live_updates(page)
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_text("Connecting for live updates…")).to_be_visible()
    await expect(page.locator(".attendees")).to_have_text("0 going of 1 · 1 seat left")

    await api(local_stack, RSVP, {"id": event["id"]}, user="Erin")
    await page.get_by_role("button", name="RSVP", exact=True).click()

    await expect(page.get_by_role("alert")).to_have_text("Sorry, this event is full.")
    await expect(page.locator(".attendees")).to_have_text("1 going of 1 · Full")
    await expect(page.get_by_role("button", name="Event full")).to_be_disabled()


async def test_a_full_event_says_so_before_anyone_tries(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, capacity=1)
    await api(local_stack, RSVP, {"id": event["id"]}, user="Erin")
    visitor = await open_visitor(user="Larry")
    await visitor.goto(f"/events/{event['id']}")
    await expect(visitor.page.locator(".attendees")).to_have_text("1 going of 1 · Full")
    await expect(visitor.page.get_by_role("button", name="Event full")).to_be_disabled()


async def test_rsvp_made_elsewhere_is_recognised(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """Event.hasSeat tells the page about a seat taken elsewhere; a seat cancelled elsewhere meanwhile is put right
    by the API's NotRsvped."""
    event = await create_event(local_stack)
    await api(local_stack, RSVP, {"id": event["id"]}, user="Tom")
    visitor = await open_visitor(user="Tom")
    page = visitor.page
    await without_live_updates(page)  # so nothing but the refusal can tell the page of the cancellation below
    await visitor.goto(f"/events/{event['id']}")
    await page.get_by_role("button", name="Cancel RSVP").click()
    await expect(page.get_by_text("Your RSVP is cancelled.")).to_be_visible()
    assert (await get_event(local_stack, event["id"]))["attendeeCount"] == 0

    # Cancelled elsewhere meanwhile: NotRsvped puts the page right.
    await page.get_by_role("button", name="RSVP", exact=True).click()
    await expect(page.get_by_role("button", name="Cancel RSVP")).to_be_visible()
    cancel = "mutation($id: ID!) { cancelRsvp(eventId: $id) { id } }"
    await api(local_stack, cancel, {"id": event["id"]}, "Tom")
    await page.get_by_role("button", name="Cancel RSVP").click()
    await expect(page.get_by_role("alert")).to_have_text("You have no seat at this event to cancel.")
    await expect(page.get_by_role("button", name="RSVP", exact=True)).to_be_enabled()


async def test_invalid_dates_and_values_land_on_their_fields(open_visitor: OpenVisitor) -> None:
    visitor = await open_visitor(user="Fran")
    page = visitor.page
    await visitor.goto("/new")
    title, starts, ends, capacity = (page.get_by_label(name) for name in ("Title", "Starts", "Ends", "Capacity"))
    await title.fill(unique("Bad dates"))
    await page.get_by_label("Venue").fill("Somewhere")
    await starts.fill("2031-06-01T20:00")
    await ends.fill("2031-06-01T19:00")
    await capacity.fill("10")
    await page.get_by_role("button", name="Create event").click()
    # The API's "endsAt must be after startsAt", on the Ends field, which gets focus.
    ends_error = page.locator("#endsAt-error")
    await expect(ends_error).to_have_text("End time must be after start time")
    await expect(ends).to_have_attribute("aria-invalid", "true")
    await expect(ends).to_be_focused()
    await expect(ends).to_have_accessible_description(re.compile(r"End time must be after start time$"))

    yesterday = datetime.now() - timedelta(days=1)
    await starts.fill(yesterday.strftime("%Y-%m-%dT%H:%M"))
    await ends.fill((yesterday + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_role("button", name="Create event").click()
    await expect(page.locator("#startsAt-error")).to_have_text("Start time must be in the future")
    await expect(ends_error).to_be_hidden()
    await expect(ends).not_to_have_attribute("aria-invalid", "true")

    await starts.fill("2031-06-01T18:00")
    await capacity.fill("0")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.locator("#capacity-error")).to_have_text("Capacity must be between 1 and 100000, not 0")

    await capacity.fill("10")
    await title.fill("   ")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.locator("#title-error")).to_have_text("Title must not be empty")
    await expect(title).to_be_focused()

    # Several bad fields: every one is named at once, before anything is sent.
    await ends.fill("2031-06-01T17:00")
    await capacity.fill("100001")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.locator("#title-error")).to_have_text("Title must not be empty")
    await expect(ends_error).to_have_text("End time must be after start time")
    await expect(page.locator("#capacity-error")).to_have_text("Capacity must be between 1 and 100000, not 100001")
    await expect(title).to_be_focused()
    await ends.fill("2031-06-01T19:00")
    await capacity.fill("10")

    # Left empty, a date cannot even be sent: the page says so in the API's words.
    await title.fill(unique("Fixed"))
    await starts.fill("")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.locator("#startsAt-error")).to_have_text("Start time is required")
    await expect(page).to_have_url(visitor.url("/new"))


async def test_comment_errors(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack)
    chris = await account(local_stack, "Chris")
    visitor = await open_visitor()
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await page.get_by_label("Add a comment").fill("Hello from nobody yet")
    await page.get_by_role("button", name="Post comment").click()
    # Signed out: asked to sign in first. Cancelling keeps what the visitor typed, and posts nothing.
    dialog = page.get_by_role("dialog", name="Sign in")
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_label("Add a comment")).to_have_value("Hello from nobody yet")
    await expect(page.locator(".comments > li")).to_have_count(0)
    # Signing in carries on with the post.
    await page.get_by_role("button", name="Post comment").click()
    await dialog.get_by_label("Username").fill(chris.username)
    await dialog.get_by_label("Password").fill(chris.password)
    await dialog.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("Comment posted.")).to_be_visible()
    await expect(page.locator(".comments > li").first).to_contain_text("Hello from nobody yet")

    await page.get_by_label("Add a comment").fill("   ")
    await page.get_by_role("button", name="Post comment").click()
    await expect(page.locator("#comment-error")).to_have_text("Comment must not be empty")
    await expect(page.get_by_label("Add a comment")).to_be_focused()


async def test_edit_after_someone_else_edited(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """The host edits in two places (here, and meanwhile elsewhere): VersionConflict offers the latest version."""
    event = await create_event(local_stack, user="Hana")
    visitor = await open_visitor(user="Hana")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}/edit")
    await expect(page.get_by_label("Title")).to_have_value(event["title"])

    newer = unique("Renamed meanwhile")
    await api(
        local_stack,
        "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { id version } }",
        {"input": {"id": event["id"], "expectedVersion": event["version"], "title": newer}},
        user="Hana",
    )
    await page.get_by_label("Venue").fill("A different hall")
    await page.get_by_role("button", name="Save changes").click()
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("Someone else changed this event since you opened it.")
    await alert.get_by_role("button", name="Load the latest version").click()
    await expect(page.get_by_label("Title")).to_have_value(newer)
    await page.get_by_label("Venue").fill("A different hall")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_text("Changes saved.")).to_be_visible()
    saved = await get_event(local_stack, event["id"])
    assert (saved["title"], saved["venue"]) == (newer, "A different hall")


async def test_capacity_below_attendance(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, capacity=3)
    for name in ("Ann", "Ben"):
        await api(local_stack, RSVP, {"id": event["id"]}, user=name)
    visitor = await open_visitor(user="Hana")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}/edit")
    await page.get_by_label("Capacity").fill("1")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.locator("#capacity-error")).to_have_text(
        "Capacity cannot drop below the 2 people already attending"
    )


async def test_nothing_changed(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack)
    visitor = await open_visitor(user="Hana")
    await visitor.goto(f"/events/{event['id']}/edit")
    await visitor.page.get_by_role("button", name="Save changes").click()
    await expect(visitor.page.get_by_text("Nothing has changed yet.")).to_be_visible()
    assert (await get_event(local_stack, event["id"]))["version"] == event["version"]


async def test_missing_event_and_unknown_page(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack)
    await api(local_stack, "mutation($id: ID!) { deleteEvent(id: $id) { id } }", {"id": event["id"]}, "Hana")
    visitor = await open_visitor()
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_role("heading", level=1, name="Event not found")).to_be_visible()
    await visitor.goto(f"/events/{event['id']}/edit")
    await expect(page.get_by_role("heading", level=1, name="Event not found")).to_be_visible()
    await visitor.goto("/no/such/page")
    await expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    await page.get_by_role("link", name="See upcoming events").click()
    await expect(page.get_by_role("heading", level=1, name="Upcoming events")).to_be_visible()


async def test_refused_api_key_is_a_readable_message(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """A wrong key in config.json: the real API answers 401 UnauthorizedException; the page explains."""
    visitor = await open_visitor()
    visitor.expect_console_error("status of 401")
    page = visitor.page

    async def wrong_key(route: Route) -> None:
        response = await route.fetch()
        config = await response.json()
        await route.fulfill(response=response, json={**config, "apiKey": "da2-not-the-key"})

    await page.route("**/config.json", wrong_key)
    await visitor.goto("/")
    await expect(page.get_by_role("alert")).to_contain_text("The app is not allowed to reach the server.")
    await expect(page.get_by_role("alert").get_by_role("button", name="Try again")).to_be_visible()


async def test_start_time_in_the_past_on_edit(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    starts = datetime.now(UTC) + timedelta(days=3)
    event = await create_event(local_stack)
    visitor = await open_visitor(user="Hana")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}/edit")
    await page.get_by_label("Starts").fill((starts - timedelta(days=10)).astimezone().strftime("%Y-%m-%dT%H:%M"))
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.locator("#startsAt-error")).to_have_text("Start time must be in the future")


async def test_without_a_way_to_sign_in(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """A config.json without a user pool (auth null): nothing offers to sign in, and a kept session is ignored."""
    event = await create_event(local_stack)
    visitor = await open_visitor(user="Ida")
    page = visitor.page

    async def without_sign_in(route: Route) -> None:
        response = await route.fetch()
        config = await response.json()
        await route.fulfill(response=response, json={**config, "auth": None})

    await page.route("**/config.json", without_sign_in)
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()
    await expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    await expect(page.get_by_text("Signed in as")).to_have_count(0)
    await page.get_by_role("button", name="RSVP", exact=True).click()
    alert = page.get_by_role("alert")
    await expect(alert).to_have_text("Signing in is not available here.")
    await expect(alert.get_by_role("button")).to_have_count(0)
    await visitor.goto("/new")
    await expect(page.get_by_text("Signing in is not available here.")).to_be_visible()
    await expect(page.get_by_label("Title")).to_have_count(0)
    assert (await get_event(local_stack, event["id"]))["attendeeCount"] == 0


async def test_only_the_host_edits(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, user="Hana")
    hana = await account(local_stack, "Hana")
    guest = await open_visitor(user="Gus")
    await guest.goto(f"/events/{event['id']}")
    await expect(guest.page.get_by_role("button", name="RSVP", exact=True)).to_be_visible()
    await expect(guest.page.get_by_role("link", name="Edit event")).to_have_count(0)
    await expect(guest.page.get_by_role("button", name="Delete event")).to_have_count(0)
    await guest.goto(f"/events/{event['id']}/edit")
    refusal = guest.page.get_by_text("Only the event's host or an admin can edit it. You are signed in as Gus.")
    await expect(refusal).to_be_visible()
    await expect(guest.page.get_by_label("Title")).to_have_count(0)

    # Signed out, the page offers to sign in, and signing in as the host opens the form.
    visitor = await open_visitor()
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_role("link", name="Edit event")).to_have_count(0)
    await visitor.goto(f"/events/{event['id']}/edit")
    await expect(page.get_by_text("Sign in as the event's host or an admin to edit it.")).to_be_visible()
    await page.locator("main").get_by_role("button", name="Sign in").click()
    await page.get_by_label("Username").fill(hana.username)
    await page.get_by_label("Password").fill(hana.password)
    await page.get_by_role("dialog").get_by_role("button", name="Sign in").click()
    await expect(page.get_by_label("Title")).to_have_value(event["title"])


async def test_signed_in_as_someone_else_meanwhile(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """Another tab switches user while the host edits: the form gives way, and the API would refuse anyway."""
    event = await create_event(local_stack, user="Hana")
    mallory = await account(local_stack, "Mallory")
    visitor = await open_visitor(user="Hana")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}/edit")
    await expect(page.get_by_label("Title")).to_have_value(event["title"])
    other_tab = await visitor.context.new_page()
    other = Visitor(context=visitor.context, page=other_tab, problems=visitor.problems, base_url=visitor.base_url)
    await other.goto("/")
    await other.sign_out()
    await other.sign_in(mallory)
    await expect(
        page.get_by_text("Only the event's host or an admin can edit it. You are signed in as Mallory.")
    ).to_be_visible()
    await expect(page.locator(".who")).to_have_text("Signed in as Mallory")


async def test_refused_edit_reads_as_such(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """If the API refuses a signed-in caller (Unauthorized), the page says who may edit."""
    event = await create_event(local_stack, user="Hana")
    await account(local_stack, "Mallory")
    mallory = local_stack.headers("Mallory")["Authorization"]
    visitor = await open_visitor(user="Hana")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}/edit")
    await expect(page.get_by_label("Title")).to_have_value(event["title"])
    # Change who the requests come from without telling the page (as a swapped session would): Mallory's own
    # valid token, so the API knows her and refuses her.
    await page.route(
        "**/graphql",
        lambda route, request: route.continue_(headers={**request.headers, "authorization": mallory}),
    )
    await page.get_by_label("Venue").fill("Elsewhere")
    await page.get_by_role("button", name="Save changes").click()
    await expect(page.get_by_role("alert")).to_have_text("Only the event's host or an admin can change this event.")
    assert (await get_event(local_stack, event["id"]))["venue"] == event["venue"]


async def test_full_event_with_a_seat_taken_elsewhere(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """A full event: its seat holder (from another device) may cancel, anyone else sees it full."""
    event = await create_event(local_stack, capacity=1)
    await api(local_stack, RSVP, {"id": event["id"]}, user="Phil")
    stranger = await open_visitor(user="Stan")
    await stranger.goto(f"/events/{event['id']}")
    await expect(stranger.page.get_by_role("button", name="Event full")).to_be_disabled()

    visitor = await open_visitor(user="Phil")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await page.get_by_role("button", name="Cancel RSVP").click()
    await expect(page.get_by_text("Your RSVP is cancelled.")).to_be_visible()
    await expect(page.locator(".attendees")).to_have_text("0 going of 1 · 1 seat left")
    await expect(page.get_by_role("button", name="RSVP", exact=True)).to_be_enabled()
