"""Landmarks, labels, keyboard use, visible focus, contrast and phone-sized screens."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, Request, expect

from tests.browser.helpers import PHONE, OpenVisitor, account, api, create_event
from tests.conftest import RunningStack

CONTRAST = (Path(__file__).parent / "contrast.js").read_text()


async def assert_contrast(page: Page) -> None:
    failures = await page.evaluate(CONTRAST)
    assert failures == [], "text below WCAG AA contrast:\n" + "\n".join(failures)


async def assert_every_control_labelled(page: Page) -> None:
    controls = page.locator("main input, main textarea, main select, dialog[open] input")
    for index in range(await controls.count()):
        await expect(controls.nth(index)).to_have_accessible_name(re.compile(r"\w"))


async def assert_fits(page: Page) -> None:
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


async def tab_to(page: Page, name: str, *, key: str = "Tab", limit: int = 40) -> None:
    """Presses Tab (or Shift+Tab) until the element named `name` has focus, as a keyboard user would."""
    for _ in range(limit):
        await page.keyboard.press(key)
        focused = await page.evaluate(
            "(() => { const e = document.activeElement; return e ? (e.labels?.[0]?.textContent || e.textContent"
            " || '').trim() : '' })()"
        )
        if focused == name:
            return
    raise AssertionError(f"{name!r} was not reached with Tab")


async def test_landmarks_and_labels(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, user="Lou")
    visitor = await open_visitor(user="Lou")
    page = visitor.page
    await visitor.goto("/")
    await expect(page.get_by_role("banner")).to_be_visible()
    await expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    await expect(page.get_by_role("main")).to_be_visible()
    await expect(page.get_by_role("contentinfo")).to_be_visible()
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    for path in (f"/events/{event['id']}", "/new", f"/events/{event['id']}/edit"):
        await visitor.goto(path)
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        await assert_every_control_labelled(page)
    await page.get_by_role("button", name="Sign out").click()
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("dialog", name="Sign in")).to_be_visible()
    await assert_every_control_labelled(page)


async def test_contrast_of_every_state(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, capacity=1, user="Carla")
    visitor = await open_visitor(user="Carla")
    page = visitor.page
    await visitor.goto("/")
    await expect(page.locator(".event-list article").first).to_be_visible()
    await assert_contrast(page)

    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_text("Live updates on")).to_be_visible()
    await page.get_by_role("button", name="RSVP", exact=True).click()
    await expect(page.locator(".notice-success")).to_be_visible()
    await assert_contrast(page)
    await page.get_by_role("button", name="Post comment").click()
    await expect(page.locator("#comment-error")).to_be_visible()
    await assert_contrast(page)

    await page.get_by_role("button", name="Cancel RSVP").focus()
    await page.get_by_role("button", name="Cancel RSVP").hover()
    await assert_contrast(page)

    # A live edit's notice, the host's delete button and its confirmation.
    await api(
        local_stack,
        "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { id title version } }",
        {"input": {"id": event["id"], "expectedVersion": event["version"], "title": event["title"] + " (moved)"}},
        user="Carla",
    )
    await expect(page.locator(".notice-info")).to_contain_text("This event was just updated (title).")
    await assert_contrast(page)
    await page.get_by_role("button", name="Delete event").hover()
    await assert_contrast(page)
    await page.get_by_role("button", name="Delete event").click()
    await expect(page.get_by_role("dialog", name="Delete this event?")).to_be_visible()
    await assert_contrast(page)
    await page.keyboard.press("Escape")

    await visitor.goto("/new")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.locator("#title-error")).to_have_text("Title must not be empty")
    await assert_contrast(page)

    visitor = await open_visitor()
    await visitor.goto(f"/events/{event['id']}")
    await visitor.page.get_by_role("button", name="Event full").wait_for()
    await assert_contrast(visitor.page)
    await visitor.page.get_by_role("button", name="Post comment").click()
    dialog = visitor.page.get_by_role("dialog", name="Sign in")
    await dialog.get_by_role("button", name="Sign in").click()
    await expect(dialog.locator("#sign-in-error")).to_be_visible()
    await assert_contrast(visitor.page)


async def test_keyboard_only_visit(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, user="Kim")
    kim = await account(local_stack, "Kim")
    visitor = await open_visitor(user=kim)
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()

    # The first Tab reaches the skip link, which moves focus to the main content.
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    await expect(skip).to_be_focused()
    await expect(skip).to_be_in_viewport()
    queries: list[str] = []  # the skip link's #main must not render the page again (it would lose focus and input)

    def reloads_event(request: Request) -> None:
        if "query GetEvent" in (request.post_data or ""):
            queries.append(request.url)

    page.on("request", reloads_event)
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("main")).to_be_focused()

    await tab_to(page, "RSVP")
    outline = await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focused controls need a visible focus ring"
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("You're going! Your seat is saved.")).to_be_visible()
    # Focus stays on the button while it works, so the next keypress acts on it.
    await expect(page.get_by_role("button", name="Cancel RSVP")).to_be_focused()
    assert queries == []

    await tab_to(page, "Add a comment")
    await page.keyboard.type("Typed without a mouse")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Post comment")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator(".comments > li").first).to_contain_text("Typed without a mouse")

    # Links work from the keyboard, and the new page's content gets focus.
    await tab_to(page, "Edit event", key="Shift+Tab")
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", level=1, name=f"Edit “{event['title']}”")).to_be_visible()
    await expect(page.get_by_role("main")).to_be_focused()

    # The sign-in dialog: opened, filled and closed from the keyboard; Escape cancels.
    await visitor.goto("/")
    await tab_to(page, "Sign out")
    await page.keyboard.press("Enter")
    # The replaced button's successor keeps the focus.
    await expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_label("Username")).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(page.get_by_role("dialog")).to_be_hidden()
    await page.get_by_role("button", name="Sign in").focus()
    await page.keyboard.press("Enter")
    await page.keyboard.type(kim.username)
    await page.keyboard.press("Tab")
    await expect(page.get_by_label("Password")).to_be_focused()
    await page.keyboard.type(kim.password)
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("Signed in as Kim")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign out")).to_be_focused()


async def test_sign_in_dialog_validates(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    kim = await account(local_stack, "Kim")
    visitor = await open_visitor()
    visitor.expect_console_error("status of 400")  # Cognito answers a wrong password with HTTP 400
    page = visitor.page
    await visitor.goto("/")
    await page.get_by_role("button", name="Sign in").click()
    dialog = page.get_by_role("dialog", name="Sign in")
    username, password = dialog.get_by_label("Username"), dialog.get_by_label("Password")
    await dialog.get_by_role("button", name="Sign in").click()
    await expect(dialog.locator("#sign-in-error")).to_have_text("Enter your username.")
    await expect(username).to_have_attribute("aria-invalid", "true")
    await expect(username).to_be_focused()
    await expect(username).to_have_accessible_description("Enter your username.")

    await username.fill(kim.username)
    await dialog.get_by_role("button", name="Sign in").click()
    await expect(dialog.locator("#sign-in-error")).to_have_text("Enter your password.")
    await expect(password).to_have_attribute("aria-invalid", "true")
    await expect(username).not_to_have_attribute("aria-invalid", "true")
    await expect(password).to_be_focused()

    # Cognito's NotAuthorizedException, and an unknown user, read the same (nothing tells which usernames exist).
    for name, secret in ((kim.username, kim.password + "x"), ("nobody-by-that-name", kim.password)):
        await username.fill(name)
        await password.fill(secret)
        await dialog.get_by_role("button", name="Sign in").click()
        await expect(dialog.locator("#sign-in-error")).to_have_text("Wrong username or password.")
        await expect(password).to_be_focused()
        await expect(username).to_have_attribute("aria-invalid", "true")
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(dialog).to_be_hidden()
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    await expect(page.get_by_text("Signed in as")).to_have_count(0)


async def test_phone_sized_screen(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(
        local_stack, user="Pat", title="A rather long event title that has to wrap on a phone screen"
    )
    visitor = await open_visitor(viewport=PHONE, user="Pat")
    page = visitor.page
    for path in ("/", f"/events/{event['id']}", "/new", f"/events/{event['id']}/edit"):
        await visitor.goto(path)
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        await expect(page.locator("main .live, main .event-list, main form").first).to_be_attached()
        await assert_fits(page)
    await visitor.goto(f"/events/{event['id']}")
    rsvp = page.get_by_role("button", name="RSVP", exact=True)
    box = await rsvp.bounding_box()
    assert box is not None
    assert box["height"] >= 44, "touch targets need room"
