"""A view that fails while drawing says so, offers a way back and logs why: it never leaves a half-drawn page or a
wrong one (a signed-in visitor was once told to sign in when the form met a config.json it did not expect)."""

from __future__ import annotations

import json

from playwright.async_api import Route, expect

from tests.browser.helpers import OpenVisitor


async def test_a_view_that_fails_says_so_and_offers_a_way_back(open_visitor: OpenVisitor) -> None:
    visitor = await open_visitor(user="Grace")
    page = visitor.page

    async def without_limits(route: Route) -> None:
        response = await route.fetch()
        config = await response.json()
        del config["limits"]
        await route.fulfill(response=response, body=json.dumps(config))

    await page.route("**/config.json", without_limits)
    visitor.expect_console_error("Gather could not show this page")
    await visitor.goto("/new")
    await expect(page.get_by_role("heading", level=1, name="Something went wrong")).to_be_visible()
    await expect(page.locator("main")).not_to_contain_text("Sign in")
    await expect(page.get_by_role("banner")).to_contain_text("Signed in as Grace")
    assert any("limits" in text or "textMaxLength" in text for text in visitor.problems.console_errors), (
        visitor.problems.console_errors
    )

    # "Try again" draws it again (and fails again, honestly); the link leads back to the events, which work.
    await page.get_by_role("button", name="Try again").click()
    await expect(page.get_by_role("heading", level=1, name="Something went wrong")).to_be_visible()
    await page.get_by_role("link", name="See upcoming events").click()
    await expect(page.get_by_role("heading", level=1, name="Upcoming events")).to_be_visible()
    await expect(page.locator(".event-list article").first).to_be_visible()
