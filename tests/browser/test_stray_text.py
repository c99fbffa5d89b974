"""No page prints a value a program meant as "nothing": every text node (and every attribute) of every page, as
a visitor signed out, an attendee and a host sees it, at desktop and phone widths, in two time zones, one of them
with a German browser.

A stray `false`, `null`, `undefined`, `true` or `NaN` (alone, or glued to other text as in "PM ESTnullfalse") or an
`[object Object]` fails the test, naming the page, the width and the text around it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.browser.helpers import DESKTOP, PHONE, OpenVisitor, account, api, create_event, unique
from tests.conftest import RunningStack

STRAY_TEXT = r"""() => {
  const exact = /^(false|true|null|undefined|NaN)$/;
  const glued = /\S(null|undefined)|(null|undefined)\S|\[object Object\]/;
  const found = [];
  const check = (where, text) => {
    const trimmed = text.trim();
    if (exact.test(trimmed) || glued.test(trimmed)) found.push(`${where}: ${JSON.stringify(trimmed.slice(0, 120))}`);
  };
  check('title', document.title);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    check(`text in <${node.parentElement.tagName.toLowerCase()}>`, node.data);
  }
  // Attributes that carry words or addresses (aria-hidden="true" and the like are meant as such).
  const worded = ['aria-label', 'title', 'alt', 'placeholder', 'datetime', 'href', 'download', 'value'];
  for (const element of document.body.querySelectorAll(worded.map((name) => `[${name}]`).join(','))) {
    for (const name of worded) {
      const value = element.getAttribute(name);
      if (value !== null) check(`${name}= on <${element.tagName.toLowerCase()}>`, value);
    }
  }
  return found;
}"""

ZONES = [("America/New_York", "en-US"), ("Europe/Berlin", "de-DE")]


async def settled(page: Page) -> None:
    """The view has drawn what it loads: a heading, and no "Loading…" or "Checking…" left in the page."""
    await expect(page.locator("main h1")).to_be_visible()
    await expect(page.locator("main")).not_to_contain_text(re.compile("Loading…|Checking…"))
    await expect(page.locator("main [role='status']")).to_have_count(0)


@pytest.fixture
async def scene(local_stack: RunningStack) -> dict[str, Any]:
    """An event in Berlin with a description, comments and a seat taken, its host and its attendee."""
    host = await account(local_stack, unique("StrayHost").replace(" ", "-"))
    guest = await account(local_stack, unique("StrayGuest").replace(" ", "-"))
    event = await create_event(
        local_stack,
        user=host.username,
        timeZone="Europe/Berlin",
        description="First paragraph.\n\nSecond paragraph.",
        capacity=3,
    )
    await api(local_stack, "mutation($id: ID!) { rsvp(eventId: $id) { id } }", {"id": event["id"]}, guest.username)
    for who in (host.username, guest.username):
        await api(
            local_stack,
            'mutation($id: ID!) { commentOnEvent(eventId: $id, content: "See you there") { id } }',
            {"id": event["id"]},
            who,
        )
    return {"event": event, "host": host, "guest": guest}


@pytest.mark.parametrize(("timezone_id", "locale"), ZONES, ids=[zone for zone, _ in ZONES])
async def test_no_page_shows_stray_words(
    open_visitor: OpenVisitor, scene: dict[str, Any], timezone_id: str, locale: str
) -> None:
    visitor = await open_visitor(timezone_id=timezone_id, locale=locale)
    page = visitor.page
    event_path = f"/events/{scene['event']['id']}"
    stray: list[str] = []

    async def look_at(*paths: str, who: str) -> None:
        for path in paths:
            for viewport in (DESKTOP, PHONE):
                await page.set_viewport_size(viewport)
                await visitor.goto(path)
                await settled(page)
                found = await page.evaluate(STRAY_TEXT)
                stray.extend(f"{path} ({who}, {viewport['width']} px): {text}" for text in found)

    await look_at("/", event_path, "/new", "/account", who="signed out")
    await visitor.sign_in(scene["guest"])
    await look_at(event_path, "/account", "/new", who="attendee")
    await visitor.sign_out()
    await visitor.sign_in(scene["host"])
    await look_at("/", event_path, f"{event_path}/edit", who="host")
    assert not stray, "\n".join(stray)


async def test_the_check_sees_stray_words(open_visitor: OpenVisitor) -> None:
    """The walker itself finds each kind of stray text it looks for, so a clean page means something."""
    visitor = await open_visitor()
    await visitor.goto("/")
    await settled(visitor.page)
    planted = ["false", "null", "6:00 PM ESTnull", "[object Object]", "undefined"]
    await visitor.page.evaluate(
        """(texts) => {
          const main = document.querySelector('main');
          for (const text of texts) main.append(document.createTextNode(text));
          main.setAttribute('aria-label', 'NaN');
          main.setAttribute('aria-hidden', 'false');
        }""",
        planted,
    )
    found = await visitor.page.evaluate(STRAY_TEXT)
    assert len(found) == len(planted) + 1, found
