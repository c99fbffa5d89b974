"""Debian's Chromium, driven by Playwright's async API, against the local stack from tests/conftest.py.

Every page a test opens is held to what a visitor behind CloudFront gets:
- the Content-Security-Policy CloudFront sends (spa_contract.csp, the one builder) is added to every HTML
  response, so an inline script or style, or a request to anything but the stack, is refused by the browser
  (and logs a console error);
- any console error or uncaught page error fails the test;
- any request to a host other than the local stack is aborted and fails the test. The local stack is the mirror's
  origin (SPA, API, and its WebSocket) and the local Cognito's, which listens on a loopback port of its own.

The browser itself starts once per session (tests/conftest.py). The async API keeps Playwright on pytest-asyncio's
session loop: the sync API marks its own loop as running in the main thread between calls, which would break every
async test that runs after these.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Route, WebSocket

from spa_contract.csp import content_security_policy
from tests.browser.helpers import DESKTOP, Account, OpenVisitor, PageProblems, Visitor, account
from tests.conftest import RunningStack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def _guard(route: Route, request: Request, allowed: set[str], csp: str, problems: PageProblems) -> None:
    parts = urlsplit(request.url)
    if parts.scheme in ("data", "blob"):
        await route.continue_()
        return
    if f"{parts.scheme}://{parts.netloc}" not in allowed:
        problems.foreign_requests.append(f"{request.method} {request.url}")
        await route.abort("blockedbyclient")
        return
    if request.resource_type != "document":
        await route.continue_()
        return
    response = await route.fetch()
    headers = {**response.headers, "content-security-policy": csp}
    await route.fulfill(response=response, headers=headers)


def watch(context: BrowserContext, problems: PageProblems, websocket_origin: str) -> None:
    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            location = message.location
            problems.console_errors.append(f"{message.text} ({location.get('url')}:{location.get('lineNumber')})")

    def on_websocket(websocket: WebSocket) -> None:
        # Routes do not see WebSockets; the only one a page may open is the mirror's real-time endpoint.
        if origin_of(websocket.url) != websocket_origin:
            problems.foreign_requests.append(f"WebSocket {websocket.url}")

    def on_page(page: Page) -> None:
        page.on("console", on_console)
        page.on("pageerror", lambda error: problems.page_errors.append(f"{error.name}: {error.message}"))
        page.on("websocket", on_websocket)

    context.on("page", on_page)


@pytest_asyncio.fixture(loop_scope="session")
async def open_visitor(browser: Browser, local_stack: RunningStack) -> AsyncIterator[OpenVisitor]:
    """open_visitor(viewport=DESKTOP, user=None, locale=None, timezone_id=None, intercept=True) -> Visitor.

    user: a username (or Account) the page signs in as through its own sign-in dialog, on "/", before the test
    goes anywhere; the demo users (Ada, Grace, Linus) or a test user made in the local Cognito pool on first use.
    intercept=False observes requests instead of routing them (for byte counts: routed responses are not counted
    the way a real load is, and Playwright answers routed CORS preflights itself); foreign ones still fail.
    """
    config = local_stack.stack.client_config()
    origin = local_stack.base_url.rstrip("/")
    cognito = config["auth"]
    assert cognito is not None, "the local stack always runs a user pool"
    allowed = {origin, origin_of(cognito["cognitoEndpoint"])}
    csp = content_security_policy(
        api_origin=origin_of(config["graphqlUrl"]),
        realtime_origin=origin_of(config["realtimeUrl"]),
        cognito_endpoint=cognito["cognitoEndpoint"],
    )
    visitors: list[Visitor] = []

    async def open_one(
        *,
        viewport: dict[str, int] | None = None,
        user: str | Account | None = None,
        locale: str | None = None,
        timezone_id: str | None = None,
        intercept: bool = True,
    ) -> Visitor:
        options: dict[str, Any] = {"viewport": viewport or DESKTOP}
        if locale:
            options["locale"] = locale
        if timezone_id:
            options["timezone_id"] = timezone_id
        context = await browser.new_context(**options)
        context.set_default_timeout(10_000)
        problems = PageProblems()
        watch(context, problems, origin_of(config["realtimeUrl"]))
        if intercept:
            await context.route("**/*", lambda route, request: _guard(route, request, allowed, csp, problems))
            # A document Playwright fulfils has no IP address, so Chromium's Local Network Access counts the page as
            # public and would refuse its requests to the local Cognito's loopback port. Served for real (as
            # intercept=False pages are), the page is itself on loopback and needs no such permission.
            await context.grant_permissions(["local-network-access"], origin=origin)
        else:

            def observe(request: Request) -> None:
                parts = urlsplit(request.url)
                if parts.scheme not in ("data", "blob") and f"{parts.scheme}://{parts.netloc}" not in allowed:
                    problems.foreign_requests.append(f"{request.method} {request.url}")

            context.on("request", observe)
        page = await context.new_page()
        visitor = Visitor(context=context, page=page, problems=problems, base_url=origin)
        visitors.append(visitor)
        if user:
            signing_in = user if isinstance(user, Account) else await account(local_stack, user)
            await visitor.goto("/")
            await visitor.sign_in(signing_in)
        return visitor

    yield open_one

    for visitor in visitors:
        await visitor.context.close()
    report = "\n".join(filter(None, (visitor.problems.report() for visitor in visitors)))
    if report:
        pytest.fail(f"The pages misbehaved:\n{report}", pytrace=False)
