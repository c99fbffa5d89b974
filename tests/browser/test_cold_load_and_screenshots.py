"""The cold load stays within its budget; screenshots of the main pages at desktop and phone widths."""

from __future__ import annotations

from playwright.async_api import Browser, expect

from benchmarks.spa_cold_load import BUDGET_BYTES, SPA_READY, cold_load
from local_stack.demo_data import SHOWCASE_EVENT
from tests.browser.helpers import DESKTOP, PHONE, OpenVisitor, demo_event, screenshot
from tests.conftest import RunningStack


async def test_cold_load_within_budget(browser: Browser, open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """HTML, JS, CSS, config.json and the first API answer: at most 100 KB, each fetched once."""
    # The same measurement the benchmark reports (fresh context, Chromium's own byte counts).
    load = await cold_load(browser, local_stack.base_url + "/", SPA_READY)
    assert load.bytes_transferred <= BUDGET_BYTES, load.by_url
    paths = sorted(url.removeprefix(local_stack.base_url) for url in load.by_url)
    assert "/config.json" in paths
    assert "/graphql" in paths
    assert all(path.startswith("/") for path in paths), f"requests to other hosts: {paths}"
    # The preloads are used, not fetched twice (cold_load counts per URL; a second fetch would double it).
    assert load.by_url[local_stack.base_url + "/config.json"] < 2048

    # The same cold load, watched for console errors and foreign requests like every other page.
    visitor = await open_visitor(intercept=False)
    requests: list[str] = []
    visitor.page.on("request", lambda request: requests.append(request.url))
    await visitor.goto("/")
    await expect(visitor.page.locator(SPA_READY).first).to_be_visible()
    await visitor.page.wait_for_load_state("networkidle")
    assert len(requests) == len(set(requests)), f"fetched more than once: {sorted(requests)}"


async def test_screenshots_of_main_pages(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """test-artifacts/screenshots/{list,event}-{desktop,phone}.png; `make screenshots` copies them to docs/ too."""
    # The showcase event (description, conversation, who's going), seen by its host (Ada, an admin) signed in: the
    # controls to edit and delete, and live updates on; from New York, so times show the visitor's zone too.
    event = await demo_event(local_stack, SHOWCASE_EVENT)
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        visitor = await open_visitor(
            viewport=viewport, user=event["host"]["displayName"], timezone_id="America/New_York", locale="en-US"
        )
        page = visitor.page
        await visitor.goto("/")
        await expect(page.locator(SPA_READY).first).to_be_visible()
        await screenshot(page, f"list-{name}", docs=True)
        await page.get_by_role("link", name=event["title"]).first.click()
        await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()
        await expect(page.locator(".comments-section")).to_be_visible()
        await expect(page.get_by_text("Live updates on")).to_be_visible()
        await page.wait_for_load_state("networkidle")
        await screenshot(page, f"event-{name}", docs=True)
