"""Helpers for the browser tests: the visitor a test drives, test data made through the real API, screenshots."""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from playwright.async_api import BrowserContext, Page

from mirror.identity import DEV_IDENTITY_HEADER
from tests.conftest import RunningStack

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
DEV_USER_KEY = "gather.devUser"
"""The SPA's localStorage key for the dev identity (single_page_app/auth.js)."""


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


OpenVisitor = Callable[..., Awaitable[Visitor]]
"""The open_visitor fixture: open_visitor(viewport=, user=, locale=, timezone_id=, intercept=) -> Visitor."""


def _post_as_the_spa(stack: RunningStack, query: str, variables: dict[str, Any], user: str | None) -> Any:
    headers = {"x-api-key": stack.api_key}
    if user:
        headers[DEV_IDENTITY_HEADER] = user
    response = stack.http.post(stack.graphql_url, json={"query": query, "variables": variables}, headers=headers)
    return response.json()


async def api(stack: RunningStack, query: str, variables: dict[str, Any] | None = None, user: str | None = None) -> Any:
    """Calls the real API (off the event loop) as the SPA does: the API key, and for `user` the dev identity
    header, so a name here is the same user as that name signed in on a page. Returns `data`; fails on errors."""
    body = await asyncio.to_thread(_post_as_the_spa, stack, query, variables or {}, user)
    assert not body.get("errors"), body
    return body["data"]


EVENT_FIELDS = "id title venue startsAt endsAt capacity attendeeCount version description"


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


async def create_event(stack: RunningStack, user: str = "Host Hana", **fields: Any) -> dict[str, Any]:
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


async def screenshot(page: Page, name: str, *, docs: bool = False) -> Path:
    """Writes test-artifacts/screenshots/<name>.png; with docs=True and GATHER_UPDATE_DOCS_SCREENSHOTS=1 also
    refreshes docs/screenshots/<name>.png (committed, so only on purpose)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=False, animations="disabled", caret="hide")
    if docs and os.environ.get("GATHER_UPDATE_DOCS_SCREENSHOTS") == "1":
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_SCREENSHOTS / path.name)
    return path
