"""Live updates over AppSync's real-time protocol (the mirror's WebSocket, as on AWS): several visitors on one event
page, each in a browser context of their own, see each other's comments, seats, edits and the event's deletion."""

from __future__ import annotations

import asyncio
import re

from playwright.async_api import WebSocketRoute, expect

from tests.browser.helpers import OpenVisitor, Visitor, api, create_event, unique
from tests.conftest import RunningStack

COMMENT = "mutation($id: ID!, $c: String!) { commentOnEvent(eventId: $id, content: $c) { id eventId content } }"
LIVE = "Live updates on"


async def on_event_page(open_visitor: OpenVisitor, event_id: str, user: str | None = None) -> Visitor:
    """A visitor on the event's page once both of its subscriptions are started (start_ack)."""
    visitor = await open_visitor(user=user)
    await visitor.goto(f"/events/{event_id}")
    await expect(visitor.page.get_by_text(LIVE)).to_be_visible()
    return visitor


async def test_comments_and_seats_appear_on_the_other_page(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    event = await create_event(local_stack, user="Hana", capacity=2)
    writer = await on_event_page(open_visitor, event["id"], user="Wren")
    reader = await on_event_page(open_visitor, event["id"], user="Rhys")
    passer_by = await on_event_page(open_visitor, event["id"])  # signed out: live updates with the API key

    # A comment posted on one page appears on the others, newest first, without a reload, and is announced.
    text = unique("Live from Wren")
    await writer.page.get_by_label("Add a comment").fill(text)
    await writer.page.get_by_role("button", name="Post comment").click()
    await expect(writer.page.get_by_text("Comment posted.")).to_be_visible()
    for page in (reader.page, passer_by.page):
        first = page.locator(".comments > li").first
        await expect(first).to_contain_text(text)
        await expect(first).to_contain_text("Wren")
        await expect(page.locator(".event > [aria-live='polite'].visually-hidden")).to_have_text(
            "New comment from Wren."
        )
    # Not twice on the writer's own page: once a later comment has arrived live, its own copy has too.
    later = unique("Later, from Rhys")
    await api(local_stack, COMMENT, {"id": event["id"], "c": later}, user="Rhys")
    await expect(writer.page.locator(".comments > li").first).to_contain_text(later)
    await expect(writer.page.locator(".comments > li")).to_have_count(2)
    await expect(writer.page.locator(".comments > li").nth(1)).to_contain_text(text)
    await expect(reader.page.locator(".comments > li")).to_have_count(2)

    # An RSVP on one page updates the seats on the others; the last seat makes the event full everywhere.
    await writer.page.get_by_role("button", name="RSVP", exact=True).click()
    await expect(reader.page.locator(".attendees")).to_have_text("1 going of 2 · 1 seat left")
    await expect(passer_by.page.locator(".attendees")).to_have_text("1 going of 2 · 1 seat left")
    await reader.page.get_by_role("button", name="RSVP", exact=True).click()
    await expect(writer.page.locator(".attendees")).to_have_text("2 going of 2 · Full")
    await expect(passer_by.page.get_by_role("button", name="Event full")).to_be_disabled()
    await expect(writer.page.get_by_role("button", name="Cancel RSVP")).to_be_enabled()  # Wren still has a seat
    # A seat given back is free again for everyone else.
    await writer.page.get_by_role("button", name="Cancel RSVP").click()
    await expect(passer_by.page.get_by_role("button", name="RSVP", exact=True)).to_be_enabled()
    await expect(reader.page.locator(".attendees")).to_have_text("1 going of 2 · 1 seat left")


async def test_edits_and_deletion_reach_an_open_page(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, user="Hana", description="Bring a chair.")
    watcher = await on_event_page(open_visitor, event["id"], user="Rhys")
    page = watcher.page
    await expect(page.get_by_text("Bring a chair.")).to_be_visible()

    # The host edits the event on the form in another browser.
    host = await open_visitor(user="Hana")
    await host.goto(f"/events/{event['id']}/edit")
    new_title = unique("Moved indoors")
    await host.page.get_by_label("Title").fill(new_title)
    await host.page.get_by_label("Venue").fill("Town hall")
    await host.page.get_by_label("Description").fill("")
    await host.page.get_by_role("button", name="Save changes").click()
    await expect(host.page.get_by_text("Changes saved.")).to_be_visible()

    await expect(page.get_by_role("heading", level=1, name=new_title)).to_be_visible()
    await expect(page).to_have_title(f"{new_title} · Gather")
    await expect(page.locator(".facts")).to_contain_text("Town hall")
    await expect(page.get_by_text("Bring a chair.")).to_have_count(0)  # a cleared description goes too
    await expect(page.get_by_text("This event was just updated (title, description, venue).")).to_be_visible()

    # The host deletes it: the open page says so and closes RSVPs and comments.
    await host.page.get_by_role("button", name="Delete event").click()
    await host.page.get_by_role("dialog").get_by_role("button", name="Delete event").click()
    await expect(host.page.get_by_role("heading", level=1, name="Upcoming events")).to_be_visible()
    await expect(page.get_by_text("This event has been deleted. RSVPs and comments are closed.")).to_be_visible()
    await expect(page).to_have_title(f"{new_title} (deleted) · Gather")
    await expect(page.get_by_role("button", name="RSVP", exact=True)).to_be_hidden()
    await expect(page.get_by_label("Add a comment")).to_be_hidden()
    await expect(page.get_by_text(LIVE)).to_be_hidden()


async def test_a_dropped_connection_comes_back_and_catches_up(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    """The WebSocket goes through Playwright to the real endpoint, so a test can drop it and hold reconnections."""
    event = await create_event(local_stack)
    visitor = await open_visitor()
    page = visitor.page
    connections: list[WebSocketRoute] = []
    accepting = asyncio.Event()
    accepting.set()

    async def relay(websocket: WebSocketRoute) -> None:
        if not accepting.is_set():
            await websocket.close()  # as an endpoint that is down would
            return
        websocket.connect_to_server()
        connections.append(websocket)

    await page.route_web_socket(re.compile(r"/graphql"), relay)
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_text(LIVE)).to_be_visible()

    # The connection drops and the endpoint refuses new ones for a while; a comment is made meanwhile.
    accepting.clear()
    await connections[0].close()
    await expect(page.get_by_text("Live updates paused. Reconnecting…")).to_be_visible()
    missed = unique("Said while you were away")
    await api(local_stack, COMMENT, {"id": event["id"], "c": missed}, user="Wren")

    # Back: the page reconnects, restarts both subscriptions, and fetches what it missed.
    accepting.set()
    await expect(page.get_by_text(LIVE)).to_be_visible(timeout=20_000)
    await expect(page.locator(".comments > li").first).to_contain_text(missed)
    assert len(connections) == 2
    live = unique("Said after the reconnection")
    await api(local_stack, COMMENT, {"id": event["id"], "c": live}, user="Wren")
    await expect(page.locator(".comments > li").first).to_contain_text(live)
    await expect(page.locator(".comments > li")).to_have_count(2)


async def test_leaving_the_page_closes_the_connection(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack)
    visitor = await open_visitor()
    page = visitor.page
    async with page.expect_websocket() as opened:
        await visitor.goto(f"/events/{event['id']}")
    websocket = await opened.value
    assert websocket.url.startswith(local_stack.base_url.replace("http://", "ws://") + "/graphql/realtime?header=")
    await expect(page.get_by_text(LIVE)).to_be_visible()
    async with websocket.expect_event("close"):
        await page.get_by_role("link", name="← All events").click()
    await expect(page.get_by_role("heading", level=1, name="Upcoming events")).to_be_visible()


async def test_a_deleted_comment_leaves_the_other_pages_at_once(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    """An admin moderates a comment they did not write on an event they do not host; open pages drop it live."""
    event = await create_event(local_stack, user="Hana")
    text = unique("Spam from Wren")
    await api(local_stack, COMMENT, {"id": event["id"], "c": text}, user="Wren")
    reader = await on_event_page(open_visitor, event["id"], user="Rhys")
    passer_by = await on_event_page(open_visitor, event["id"])
    admin = await on_event_page(open_visitor, event["id"], user="Ada")
    for visitor in (reader, passer_by, admin):
        await expect(visitor.page.locator(".comments > li")).to_contain_text([text])
    await expect(reader.page.get_by_role("button", name="Delete comment by Wren")).to_be_hidden()

    await admin.page.get_by_role("button", name="Delete comment by Wren").click()
    await (
        admin.page.get_by_role("dialog", name="Delete this comment?")
        .get_by_role("button", name="Delete comment")
        .click()
    )
    await expect(admin.page.get_by_text("Comment deleted.")).to_be_visible()
    for visitor in (reader, passer_by):
        await expect(visitor.page.locator(".comments > li")).to_have_count(0)
        await expect(visitor.page.get_by_text("No comments yet.")).to_be_visible()
