"""Paging through events and comments with nextToken; deep links that survive a reload; history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.async_api import expect

from tests.browser.helpers import OpenVisitor, api, create_event, iso, unique
from tests.conftest import RunningStack

EVENTS_PAGE = 10
COMMENTS_PAGE = 10
COMMENT = "mutation($id: ID!, $content: String!) { commentOnEvent(eventId: $id, content: $content) { id } }"


async def test_load_more_events(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    # Far enough ahead to come after every other upcoming event, and more than a page of them.
    base = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3000)
    prefix = unique("Paging")
    for n in range(EVENTS_PAGE + 1):
        starts = base + timedelta(hours=n)
        await create_event(
            local_stack, title=f"{prefix} #{n:02d}", startsAt=iso(starts), endsAt=iso(starts + timedelta(minutes=30))
        )
    visitor = await open_visitor()
    page = visitor.page
    await visitor.goto("/")
    cards = page.locator(".event-list > li")
    await expect(cards).to_have_count(EVENTS_PAGE)
    more = page.get_by_role("button", name="Load more events")
    last = page.get_by_role("link", name=f"{prefix} #{EVENTS_PAGE:02d}")
    while not await last.is_visible():
        await expect(more).to_be_visible()
        shown = await cards.count()
        await more.click()
        await expect(cards).not_to_have_count(shown)
    await expect(last).to_be_visible()
    # Listed in startsAt order, each once.
    titles = [title for title in await page.locator(".event-list h2").all_inner_texts() if title.startswith(prefix)]
    assert titles == [f"{prefix} #{n:02d}" for n in range(EVENTS_PAGE + 1)]


async def test_older_comments(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack)
    total = COMMENTS_PAGE + 2
    for n in range(1, total + 1):
        await api(local_stack, COMMENT, {"id": event["id"], "content": f"Comment number {n:02d}"}, f"Talker{n % 3}")
    visitor = await open_visitor()
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    comments = page.locator(".comments > li")
    await expect(comments).to_have_count(COMMENTS_PAGE)
    await expect(comments.first).to_contain_text(f"Comment number {total:02d}")
    await expect(page.get_by_text("Comment number 01")).to_have_count(0)
    older = page.get_by_role("button", name="Show older comments")
    await older.click()
    await expect(comments).to_have_count(total)
    await expect(comments.last).to_contain_text("Comment number 01")
    await expect(older).to_be_hidden()
    await expect(page.get_by_text(f"Showing {total} comments, all there are.")).to_be_visible()


async def test_deep_links_work_on_reload(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack)
    visitor = await open_visitor()
    page = visitor.page
    for path, heading in (
        (f"/events/{event['id']}", event["title"]),
        (f"/events/{event['id']}/", event["title"]),
        (f"/events/{event['id']}/edit", f"Edit “{event['title']}”"),
        ("/new", "New event"),
        ("/", "Upcoming events"),
    ):
        await visitor.goto(path)
        await expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
        await page.reload()
        await expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()


async def test_links_navigate_without_reloading(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack)
    visitor = await open_visitor()
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()
    documents: list[str] = []
    page.on("request", lambda request: documents.append(request.url) if request.resource_type == "document" else None)
    await page.get_by_role("link", name="← All events").click()
    await expect(page.get_by_role("heading", level=1, name="Upcoming events")).to_be_visible()
    await expect(page.get_by_role("link", name="Events", exact=True)).to_have_attribute("aria-current", "page")
    await page.go_back()
    await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()
    await page.go_forward()
    await expect(page.get_by_role("heading", level=1, name="Upcoming events")).to_be_visible()
    assert documents == []
