"""Helpers for the browser tests: the visitor a test drives, test data made through the real API, screenshots."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page, ViewportSize, expect

from dev_support.cognito_sign_in import id_token
from local_stack.cognito.passwords import new_password
from tests.conftest import RunningStack

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
SESSION_KEY = "gather.session"
"""The SPA's localStorage key for the Cognito tokens (single_page_app/auth.js)."""


@dataclass(frozen=True)
class Account:
    """A user of the local Cognito pool whose password the tests know, so a page can sign in as them."""

    username: str
    password: str
    groups: tuple[str, ...] = ()


_accounts: dict[tuple[str, str], Account] = {}


def _account(stack: RunningStack, username: str, groups: tuple[str, ...]) -> Account:
    demo = {user.username: user for user in stack.stack.cognito.users}
    if username in demo:
        found = Account(username, demo[username].password, demo[username].groups)
    else:
        key = (stack.base_url, username)
        if key not in _accounts:
            assert username not in stack.tokens, f"{username} was made elsewhere, with a password unknown here"
            password = new_password()
            stack.stack.cognito.create_user(username, password, groups)
            _accounts[key] = Account(username, password, groups)
        found = _accounts[key]
    if username not in stack.tokens:  # so stack.graphql(user=...) uses this user rather than making another
        stack.tokens[username] = id_token(stack.stack.cognito, username, found.password)
    return found


async def account(stack: RunningStack, username: str, groups: tuple[str, ...] = ()) -> Account:
    """The demo user of that name (Ada, Grace, Linus), or a test user made in the local pool on first use."""
    return await asyncio.to_thread(_account, stack, username, groups)


@dataclass
class PageProblems:
    """What went wrong in a context's pages; any entry fails the test."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    expected_console_errors: list[str] = field(default_factory=list)

    def unexpected_console_errors(self) -> list[str]:
        return [
            text
            for text in self.console_errors
            if not any(expected in text for expected in self.expected_console_errors)
        ]

    def report(self) -> str:
        lines = []
        for title, entries in (
            ("console errors", self.unexpected_console_errors()),
            ("uncaught page errors", self.page_errors),
            ("requests to hosts other than the local stack", self.foreign_requests),
        ):
            if entries:
                lines.append(f"{title}:")
                lines.extend(f"  {entry}" for entry in entries)
        return "\n".join(lines)


@dataclass
class Visitor:
    """A browser context (one visitor) and the problems its pages showed."""

    context: BrowserContext
    page: Page
    problems: PageProblems
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path

    async def goto(self, path: str) -> None:
        await self.page.goto(self.url(path))

    def expect_console_error(self, fragment: str) -> None:
        """For a test that provokes an HTTP error on purpose (Chromium logs every failed resource)."""
        self.problems.expected_console_errors.append(fragment)

    async def sign_in(self, account: Account) -> None:
        """Signs in through the page's own dialog: Cognito's InitiateAuth, sent by the browser."""
        page = self.page
        await page.get_by_role("banner").get_by_role("button", name="Sign in", exact=True).click()
        dialog = page.get_by_role("dialog", name="Sign in")
        await dialog.get_by_label("Username").fill(account.username)
        await dialog.get_by_label("Password").fill(account.password)
        await dialog.get_by_role("button", name="Sign in", exact=True).click()
        await expect(dialog).to_be_hidden()
        await expect(page.locator(".who strong")).to_have_text(account.username)

    async def sign_out(self) -> None:
        await self.page.get_by_role("banner").get_by_role("button", name="Sign out").click()
        await expect(self.page.get_by_role("banner").get_by_role("button", name="Sign in", exact=True)).to_be_visible()


OpenVisitor = Callable[..., Awaitable[Visitor]]
"""The open_visitor fixture: open_visitor(viewport=, user=, locale=, timezone_id=, intercept=) -> Visitor."""


async def graphql(
    stack: RunningStack, query: str, variables: dict[str, Any] | None = None, user: str | None = None
) -> dict[str, Any]:
    """The real API's raw answer (errors included), called off the event loop as `user` (their Cognito ID token,
    the same user as that name signed in on a page) or with the API key alone."""
    if user:
        await account(stack, user)
    return await asyncio.to_thread(stack.graphql, query, variables or {}, user)


async def api(stack: RunningStack, query: str, variables: dict[str, Any] | None = None, user: str | None = None) -> Any:
    """Like graphql(), but returns `data` and fails on errors."""
    body = await graphql(stack, query, variables, user)
    assert not body.get("errors"), body
    return body["data"]


async def without_live_updates(page: Page) -> None:
    """The page's real-time WebSocket opens but reaches nothing (as behind a proxy that drops WebSockets): the page
    gets no live updates. Only the WebSocket is cut; every HTTP request still goes to the real API."""
    await page.route_web_socket(re.compile(r"/graphql"), lambda websocket: None)


EVENT_FIELDS = "id title venue startsAt endsAt timeZone capacity attendeeCount version description"


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


async def create_event(stack: RunningStack, user: str = "Hana", **fields: Any) -> dict[str, Any]:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)
    event_input = {
        "title": unique("Browser test event"),
        "description": "Made by a browser test.",
        "venue": "Test hall",
        "startsAt": iso(starts),
        "endsAt": iso(starts + timedelta(hours=2)),
        "capacity": 10,
        **fields,
    }
    data = await api(
        stack,
        f"mutation($input: CreateEventInput!) {{ createEvent(input: $input) {{ {EVENT_FIELDS} }} }}",
        {"input": event_input},
        user,
    )
    return dict(data["createEvent"])


async def get_event(stack: RunningStack, event_id: str) -> dict[str, Any]:
    data = await api(stack, f"query($id: ID!) {{ getEvent(id: $id) {{ {EVENT_FIELDS} }} }}", {"id": event_id})
    return dict(data["getEvent"])


async def find_in_list(page: Page, title: str) -> None:
    """On "/", follows "Load more events" until the event's link is shown: the shared stack lists many events,
    and one made by a test may be on any page."""
    await expect(page.locator(".event-list article").first).to_be_visible()
    link = page.get_by_role("link", name=title)
    more = page.get_by_role("button", name="Load more events")
    while not await link.is_visible():
        await expect(more).to_be_visible()
        count = await page.locator(".event-list > li").count()
        await more.click()
        await expect(page.locator(".event-list > li")).not_to_have_count(count)


async def demo_event(stack: RunningStack, title: str) -> dict[str, Any]:
    """A seeded demo event by its title (never changed by tests: other tests and the screenshots show them)."""
    data = await api(stack, "{ listEvents(limit: 100) { items { id title host { id displayName } } } }")
    return dict(next(event for event in data["listEvents"]["items"] if event["title"] == title))


async def screenshot(page: Page, name: str, *, docs: bool = False) -> Path:
    """Writes test-artifacts/screenshots/<name>.png; with docs=True and GATHER_UPDATE_DOCS_SCREENSHOTS=1 (as
    `make screenshots` sets it) also refreshes docs/screenshots/<name>.png (committed, so only on purpose)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    if docs and os.environ.get("GATHER_UPDATE_DOCS_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / path.name)
    return path
