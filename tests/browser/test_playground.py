"""The GraphiQL playground, offline: it loads from the mirror alone, signs in, queries and subscribes."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlsplit

from playwright.async_api import Browser, Request, Route

from tests.conftest import OpenSubscriptions, RunningStack

COMMENT = (
    "mutation($id: ID!, $c: String!) { commentOnEvent(eventId: $id, content: $c) "
    "{ id eventId content author { displayName } } }"
)


async def test_playground_signs_in_queries_and_receives_a_subscription(
    browser: Browser, local_stack: RunningStack, open_subscriptions: OpenSubscriptions
) -> None:
    stack = local_stack.stack
    allowed = {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in (stack.base_url, stack.cognito.endpoint)}
    foreign: list[str] = []
    errors: list[str] = []

    async def only_the_stack(route: Route, request: Request) -> None:
        parts = urlsplit(request.url)
        if f"{parts.scheme}://{parts.netloc}" in allowed or parts.scheme == "data":
            await route.continue_()
        else:
            foreign.append(request.url)
            await route.abort()

    context = await browser.new_context()
    await context.route("**/*", only_the_stack)
    page = await context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        await page.goto(stack.graphql_url)
        await page.locator(".graphiql-container").wait_for()

        ada = stack.cognito.users[0]
        await page.get_by_label("Username").fill(ada.username)
        await page.get_by_label("Password").fill(ada.password)
        await page.get_by_role("button", name="Sign in").click()
        await page.get_by_text(f"Signed in as {ada.username}.").wait_for()
        await page.get_by_text('"Authorization"').wait_for()

        await page.get_by_role("button", name="Execute query").click()
        await page.get_by_role("menuitem", name="Me", exact=True).click()
        await page.locator(".result-window").get_by_text(f'"{ada.username}"').wait_for()

        event_id = local_stack.graphql("{ listEvents(limit: 1) { items { id } } }")["data"]["listEvents"]["items"][0][
            "id"
        ]
        await page.get_by_text("Variables", exact=True).click()
        await page.locator(".graphiql-editor-tool .CodeMirror").first.click()
        await page.keyboard.press("Control+A")
        await page.keyboard.type(json.dumps({"eventId": event_id}))
        await page.get_by_role("button", name="Execute query").click()
        await page.get_by_role("menuitem", name="NewComments", exact=True).click()
        assert await asyncio.to_thread(open_subscriptions.wait_for, 1, 10)

        posted = await asyncio.to_thread(
            local_stack.graphql, COMMENT, {"id": event_id, "c": "seen in the playground"}, "playground-writer"
        )
        assert "errors" not in posted, posted
        await page.locator(".result-window").get_by_text("seen in the playground").wait_for()
    finally:
        await context.close()
    assert errors == []
    assert foreign == []
