"""Text at the longest the API allows, typed where a visitor types it, never widens a page past the viewport,
on a desktop or a phone: unbroken titles, venues, descriptions, comments, display names and usernames wrap."""

from __future__ import annotations

from playwright.async_api import Page, expect

from resolvers.logic.validation import COMMENT_MAX, DESCRIPTION_MAX, DISPLAY_NAME_MAX, TITLE_MAX, VENUE_MAX
from tests.browser.helpers import DESKTOP, PHONE, OpenVisitor, account, unique
from tests.conftest import RunningStack


def unbroken(prefix: str, length: int) -> str:
    """One word of exactly `length` characters, the hardest case for wrapping."""
    return (prefix.replace(" ", "-") + "W" * length)[:length]


async def assert_fits(page: Page, where: str) -> None:
    width = await page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{where} is {width[0]} px wide in a {width[1]} px viewport"


async def test_the_longest_text_a_visitor_can_enter_wraps_on_desktop_and_phone(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    person = await account(local_stack, unique("Wide").replace(" ", "-"))
    writer = await open_visitor(user=person, viewport=PHONE)
    desktop = await open_visitor(user=person, viewport=DESKTOP)  # signed in before the name changes
    page = writer.page

    # The account page: the longest display name.
    await writer.goto("/account")
    await page.get_by_label("Name others see").fill(unbroken("Name", DISPLAY_NAME_MAX))
    await page.get_by_role("button", name="Save name").click()
    await expect(page.get_by_text("Your display name is saved.")).to_be_visible()
    await assert_fits(page, "the account page")

    # The new-event form: the longest title, venue and description.
    title = unbroken(unique("Title"), TITLE_MAX)
    await writer.goto("/new")
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Description").fill(unbroken("Description", DESCRIPTION_MAX))
    await page.get_by_label("Venue").fill(unbroken("Venue", VENUE_MAX))
    await page.get_by_label("Starts").fill("2031-05-01T18:00")
    await page.get_by_label("Ends").fill("2031-05-01T20:00")
    await page.get_by_label("Capacity").fill("5")
    await assert_fits(page, "the filled-in form")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    path = page.url.removeprefix(writer.base_url)

    # The event page: the longest comment.
    await page.get_by_label("Add a comment").fill(unbroken("Comment", COMMENT_MAX))
    await page.get_by_role("button", name="Post comment").click()
    await expect(page.get_by_text("Comment posted.")).to_be_visible()

    for visitor, viewport in ((desktop, DESKTOP), (writer, PHONE)):
        for where in ("/", path, f"{path}/edit", "/account"):
            await visitor.goto(where)
            await expect(visitor.page.locator("main h1")).to_be_visible()
            await expect(visitor.page.locator("main [role='status']")).to_have_count(0)
            await assert_fits(visitor.page, f"{where} at {viewport['width']} px")
        # The sign-up dialog with the longest username.
        await visitor.sign_out()
        await visitor.page.get_by_role("banner").get_by_role("button", name="Sign up").click()
        await visitor.page.get_by_label("Username").fill(unbroken("User", 128))
        await assert_fits(visitor.page, f"the sign-up dialog at {viewport['width']} px")
