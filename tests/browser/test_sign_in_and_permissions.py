"""Signing in with Cognito (the local user pool, as on AWS), signing out, and what each visitor may do."""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import Page, Request, expect

from resolvers.logic.validation import COMMENT_MAX, DISPLAY_NAME_MAX
from tests.browser.helpers import (
    SESSION_KEY,
    OpenVisitor,
    Visitor,
    account,
    api,
    create_event,
    demo_event,
    get_event,
    graphql,
    unique,
)
from tests.conftest import RunningStack

UPDATE = "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { id title version } }"
COMMENT = "mutation($id: ID!, $c: String!) { commentOnEvent(eventId: $id, content: $c) { id eventId } }"
DELETE_COMMENT = "mutation($e: ID!, $id: ID!) { deleteComment(eventId: $e, id: $id) { id } }"
COMMENT_IDS = "query($id: ID!) { getEvent(id: $id) { comments(limit: 50) { items { id content } } } }"


def record_mutations(page: Page) -> list[str]:
    """The GraphQL mutations the page sends from now on."""
    sent: list[str] = []

    def on_request(request: Request) -> None:
        if request.url.endswith("/graphql") and request.method == "POST":
            query = json.loads(request.post_data or "{}").get("query", "")
            if query.lstrip().startswith("mutation"):
                sent.append(query)

    page.on("request", on_request)
    return sent


async def session(page: Page) -> Any:
    return await page.evaluate(f"JSON.parse(localStorage.getItem({SESSION_KEY!r}))")


async def set_session(page: Page, **changes: Any) -> None:
    await page.evaluate(
        "([key, changes]) => localStorage.setItem(key, JSON.stringify({...JSON.parse(localStorage.getItem(key)), "
        "...changes}))",
        [SESSION_KEY, changes],
    )


async def test_a_demo_user_may_edit_only_their_own_events(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    meetup = await demo_event(local_stack, "Python meetup: type hints in practice")
    assert meetup["host"]["displayName"] == "Ada"

    # Grace (a demo user, not an admin) signs in through the page and creates an event: it is hers to edit.
    grace = await open_visitor(user="Grace")
    page = grace.page
    await expect(page.locator(".who")).to_have_text("Signed in as Grace")
    await grace.goto("/new")
    title = unique("Seed swap")
    await page.get_by_label("Title").fill(title)
    await page.get_by_label("Venue").fill("Northside garden shed")
    await page.get_by_label("Starts").fill("2031-04-11T10:00")
    await page.get_by_label("Ends").fill("2031-04-11T12:00")
    await page.get_by_label("Capacity").fill("8")
    await page.get_by_role("button", name="Create event").click()
    await expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await expect(page.locator(".event-host .person-name")).to_have_text("Hosted by Grace")
    await expect(page.get_by_role("link", name="Edit event")).to_be_visible()
    await expect(page.get_by_role("button", name="Delete event")).to_be_visible()
    event_id = page.url.rsplit("/", 1)[1]

    # Ada's event: no edit or delete for Grace, and only her own comment offers "Delete".
    await grace.goto(f"/events/{meetup['id']}")
    await expect(page.get_by_role("heading", level=1, name=meetup["title"])).to_be_visible()
    await expect(page.get_by_role("link", name="Edit event")).to_have_count(0)
    await expect(page.get_by_role("button", name="Delete event")).to_have_count(0)
    await expect(page.get_by_role("button", name="Delete comment by Grace")).to_be_visible()
    await expect(page.get_by_role("button", name="Delete comment by Ada")).to_have_count(0)
    await expect(page.get_by_role("button", name="Delete comment by Linus")).to_have_count(0)

    # Linus, signed in elsewhere, sees no controls on Grace's event, and the API refuses him anyway.
    linus = await open_visitor(user="Linus")
    await linus.goto(f"/events/{event_id}")
    await expect(linus.page.get_by_role("heading", level=1, name=title)).to_be_visible()
    await expect(linus.page.get_by_role("link", name="Edit event")).to_have_count(0)
    await expect(linus.page.get_by_role("button", name="Delete event")).to_have_count(0)
    created = await get_event(local_stack, event_id)
    for document, variables in (
        (UPDATE, {"input": {"id": event_id, "expectedVersion": created["version"], "title": "Linus was here"}}),
        ("mutation($id: ID!) { deleteEvent(id: $id) { id } }", {"id": event_id}),
    ):
        refused = await graphql(local_stack, document, variables, user="Linus")
        assert refused["errors"][0]["errorType"] == "Unauthorized", refused
    assert (await get_event(local_stack, event_id))["title"] == title

    # A crafted URL to the edit form reads as a refusal, with no form to fill.
    await linus.goto(f"/events/{event_id}/edit")
    await expect(linus.page.get_by_role("heading", level=1, name=f"Edit “{title}”")).to_be_visible()
    await expect(
        linus.page.get_by_text("Only the event's host or an admin can edit it. You are signed in as Linus.")
    ).to_be_visible()
    await expect(linus.page.get_by_label("Title")).to_have_count(0)

    # Ada is an admin: she may edit and delete anyone's event.
    ada = await open_visitor(user="Ada")
    await expect(ada.page.locator(".who")).to_have_text("Signed in as Ada (admin)")
    await ada.goto(f"/events/{event_id}")
    await expect(ada.page.get_by_role("button", name="Delete event")).to_be_visible()
    await ada.page.get_by_role("link", name="Edit event").click()
    await expect(ada.page.get_by_label("Title")).to_have_value(title)


async def test_a_signed_out_visitor_is_asked_to_sign_in(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, user="Hana")
    await api(local_stack, COMMENT, {"id": event["id"], "c": "Hello from the host"}, user="Hana")
    visitor = await open_visitor()
    page = visitor.page
    mutations = record_mutations(page)
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()
    await expect(page.get_by_role("banner").get_by_role("button", name="Sign in")).to_be_visible()
    await expect(page.get_by_text("Hello from the host")).to_be_visible()
    await expect(page.get_by_role("link", name="Edit event")).to_have_count(0)
    await expect(page.get_by_role("button", name="Delete event")).to_have_count(0)
    await expect(page.get_by_role("button", name="Delete comment by Hana")).to_have_count(0)

    # RSVP and posting ask to sign in first; cancelling sends nothing.
    dialog = page.get_by_role("dialog", name="Sign in")
    for control in ("RSVP", "Post comment"):
        await page.get_by_role("button", name=control, exact=True).click()
        await expect(dialog).to_be_visible()
        await page.keyboard.press("Escape")
        await expect(dialog).to_be_hidden()
        await expect(page.get_by_role("button", name=control, exact=True)).to_be_focused()

    # Creating an event starts with signing in.
    await page.get_by_role("link", name="New event").click()
    await expect(page.get_by_role("heading", level=1, name="New event")).to_be_visible()
    await expect(page.get_by_text("Sign in to create an event. You will be its host.")).to_be_visible()
    await expect(page.get_by_label("Title")).to_have_count(0)
    await page.locator("main").get_by_role("button", name="Sign in").click()
    hana = await account(local_stack, "Hana")
    await dialog.get_by_label("Username").fill(hana.username)
    await dialog.get_by_label("Password").fill(hana.password)
    await dialog.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_label("Title")).to_be_focused()  # focus was on the button the form replaced
    assert mutations == []


async def test_sign_out(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, user="Hana")
    await api(local_stack, COMMENT, {"id": event["id"], "c": "Mine to delete"}, user="Hana")
    visitor = await open_visitor(user="Hana")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_role("button", name="Delete event")).to_be_visible()
    await expect(page.get_by_role("button", name="Delete comment by Hana")).to_be_visible()
    # A second tab of the same browser shares the session.
    other = Visitor(visitor.context, await visitor.context.new_page(), visitor.problems, visitor.base_url)
    await other.goto("/")
    await expect(other.page.locator(".who")).to_have_text("Signed in as Hana")

    await visitor.sign_out()
    await expect(page.get_by_role("link", name="Edit event")).to_have_count(0)
    await expect(page.get_by_role("button", name="Delete event")).to_have_count(0)
    await expect(page.get_by_role("button", name="Delete comment by Hana")).to_have_count(0)
    assert await session(page) is None, "signing out forgets the tokens"
    # Signed out everywhere, and after a reload.
    await expect(other.page.get_by_role("banner").get_by_role("button", name="Sign in")).to_be_visible()
    await page.reload()
    await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()
    await expect(page.get_by_text("Signed in as")).to_have_count(0)
    await expect(page.get_by_role("button", name="Delete event")).to_have_count(0)


async def test_tokens_are_refreshed_and_an_ended_session_asks_to_sign_in_again(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    event = await create_event(local_stack)
    visitor = await open_visitor(user="Rita")
    visitor.expect_console_error("status of 401")  # the API refusing a bad token, on purpose below
    visitor.expect_console_error("status of 400")  # Cognito refusing a bad refresh token
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()
    cognito: list[str] = []  # the bodies of the page's requests to Cognito from now on
    endpoint = local_stack.stack.cognito.endpoint

    def to_cognito(request: Request) -> None:
        if request.url.startswith(endpoint):
            cognito.append(request.post_data or "")

    page.on("request", to_cognito)

    # An ID token about to expire is refreshed (REFRESH_TOKEN_AUTH) before the request leaves.
    before = await session(page)
    await set_session(page, expiresAt=0)
    await page.get_by_role("button", name="RSVP", exact=True).click()
    await expect(page.get_by_text("You're going! Your seat is saved.")).to_be_visible()
    assert [json.loads(body)["AuthFlow"] for body in cognito] == ["REFRESH_TOKEN_AUTH"]
    after = await session(page)
    assert after["idToken"] != before["idToken"]
    assert after["refreshToken"] == before["refreshToken"]
    assert after["expiresAt"] > before["expiresAt"]

    # A token the API refuses (HTTP 401) is refreshed too, and the request sent again.
    header, payload, signature = after["idToken"].split(".")
    await set_session(page, idToken=f"{header}.{payload}.{signature[::-1]}")
    await page.get_by_role("button", name="Cancel RSVP").click()
    await expect(page.get_by_text("Your RSVP is cancelled.")).to_be_visible()
    assert len(cognito) == 2
    assert (await get_event(local_stack, event["id"]))["attendeeCount"] == 0

    # A refresh token Cognito refuses ends the session: the page says so by asking to sign in again.
    await set_session(page, idToken=f"{header}.{payload}.{signature[::-1]}", refreshToken="not-a-refresh-token")
    await page.get_by_role("button", name="RSVP", exact=True).click()
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("Sign in to do this.")
    await expect(page.get_by_role("banner").get_by_role("button", name="Sign in")).to_be_visible()
    assert await session(page) is None
    rita = await account(local_stack, "Rita")
    await alert.get_by_role("button", name="Sign in").click()
    await page.get_by_label("Username").fill(rita.username)
    await page.get_by_label("Password").fill(rita.password)
    await page.get_by_role("dialog").get_by_role("button", name="Sign in").click()
    await expect(page.get_by_text("You're going! Your seat is saved.")).to_be_visible()
    assert (await get_event(local_stack, event["id"]))["attendeeCount"] == 1


async def test_sign_in_as_served_for_real(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    """Not routed: the browser's own CORS preflight to the local Cognito, and Local Network Access, as a visitor of
    `gather dev` gets them."""
    event = await create_event(local_stack)
    una = await account(local_stack, "Una")
    visitor = await open_visitor(intercept=False)
    await visitor.goto(f"/events/{event['id']}")
    await visitor.sign_in(una)
    await visitor.page.get_by_role("button", name="RSVP", exact=True).click()
    await expect(visitor.page.get_by_text("You're going! Your seat is saved.")).to_be_visible()


async def test_deleting_comments(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, user="Hana")
    for user, text in (("Wren", "Wren's first"), ("Rhys", "Rhys says hi"), ("Wren", "Wren's second")):
        await api(local_stack, COMMENT, {"id": event["id"], "c": text}, user=user)

    # The author deletes their own comment, after confirming.
    wren = await open_visitor(user="Wren")
    page = wren.page
    await wren.goto(f"/events/{event['id']}")
    await expect(page.get_by_role("button", name="Delete comment by Wren")).to_have_count(2)
    await expect(page.get_by_role("button", name="Delete comment by Rhys")).to_have_count(0)
    mine = page.locator(".comments > li").filter(has_text="Wren's first")
    await mine.get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("dialog", name="Delete this comment?")
    await expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    await confirm.get_by_role("button", name="Cancel").click()
    await expect(mine).to_be_visible()
    await mine.get_by_role("button", name="Delete").click()
    await confirm.get_by_role("button", name="Delete comment").click()
    await expect(page.get_by_text("Comment deleted.")).to_be_visible()
    await expect(mine).to_have_count(0)
    await expect(page.get_by_role("heading", name="Comments")).to_be_focused()

    # The host may delete anyone's comment on their event.
    host = await open_visitor(user="Hana")
    await host.goto(f"/events/{event['id']}")
    await expect(host.page.locator(".comments > li")).to_have_count(2)
    theirs = host.page.locator(".comments > li").filter(has_text="Rhys says hi")
    await theirs.get_by_role("button", name="Delete comment by Rhys").click()
    await host.page.get_by_role("dialog").get_by_role("button", name="Delete comment").click()
    await expect(theirs).to_have_count(0)

    # Someone else may not, and the API says so.
    left = (await api(local_stack, COMMENT_IDS, {"id": event["id"]}))["getEvent"]["comments"]["items"]
    assert [comment["content"] for comment in left] == ["Wren's second"]
    refused = await graphql(local_stack, DELETE_COMMENT, {"e": event["id"], "id": left[0]["id"]}, user="Rhys")
    assert refused["errors"][0]["errorType"] == "Unauthorized", refused

    # Deleted meanwhile on another page: the page says so and lets it go.
    await page.locator(".comments > li").filter(has_text="Wren's second").wait_for()
    await api(local_stack, DELETE_COMMENT, {"e": event["id"], "id": left[0]["id"]}, user="Hana")
    await page.get_by_role("button", name="Delete comment by Wren").click()
    await page.get_by_role("dialog").get_by_role("button", name="Delete comment").click()
    await expect(page.get_by_role("alert")).to_have_text("This comment was already deleted.")
    await expect(page.locator(".comments > li").filter(has_text="Wren's second")).to_have_count(0)


async def test_deleting_an_event(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    event = await create_event(local_stack, user="Hana")
    visitor = await open_visitor(user="Hana")
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await page.get_by_role("button", name="Delete event").click()
    confirm = page.get_by_role("dialog", name="Delete this event?")
    await expect(confirm).to_contain_text(f"“{event['title']}” and its RSVPs and comments will be removed")
    await page.keyboard.press("Escape")
    await expect(confirm).to_be_hidden()
    await expect(page.get_by_role("button", name="Delete event")).to_be_focused()
    assert (await get_event(local_stack, event["id"]))["id"] == event["id"]

    await page.get_by_role("button", name="Delete event").click()
    await confirm.get_by_role("button", name="Delete event").click()
    await expect(page.get_by_role("heading", level=1, name="Upcoming events")).to_be_visible()
    await expect(page.get_by_text(f"“{event['title']}” was deleted.")).to_be_visible()
    await expect(page.get_by_role("link", name=event["title"])).to_have_count(0)
    gone = await api(local_stack, "query($id: ID!) { getEvent(id: $id) { id } }", {"id": event["id"]})
    assert gone["getEvent"] is None


async def test_a_display_name_the_api_would_refuse_is_never_sent(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    """Checked against config.json's limit before sending, as the API checks it; a valid one is then sent."""
    visitor = await open_visitor(user=await account(local_stack, unique("Namer").replace(" ", "-")))
    page = visitor.page
    await visitor.goto("/account")
    name = page.get_by_label("Name others see")
    await expect(name).not_to_have_value("")
    sent = record_mutations(page)
    error = page.locator("#display-name-error")
    save = page.get_by_role("button", name="Save name")

    await name.fill("   ")
    await save.click()
    await expect(error).to_have_text("Display name must not be empty")
    await expect(name).to_have_attribute("aria-invalid", "true")
    # maxlength stops typing past the limit; a value set some other way (a script, an extension) is checked too.
    too_long = DISPLAY_NAME_MAX + 1
    await name.evaluate("(input, value) => { input.value = value; }", "N" * too_long)
    await save.click()
    await expect(error).to_have_text(f"Display name must be at most {DISPLAY_NAME_MAX} characters, not {too_long}")
    assert sent == []

    await name.fill("N" * DISPLAY_NAME_MAX)
    await save.click()
    await expect(page.get_by_text("Your display name is saved.")).to_be_visible()
    await expect(error).to_be_hidden()
    await expect(name).not_to_have_attribute("aria-invalid", "true")
    assert len(sent) == 1
    assert "setDisplayName" in sent[0]


async def test_a_comment_the_api_would_refuse_is_never_sent(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    """The comment box checks config.json's limit before sending, as the API checks it; a valid comment is then sent."""
    event = await create_event(local_stack, user="Hana")
    visitor = await open_visitor(user=await account(local_stack, unique("Talker").replace(" ", "-")))
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    box = page.get_by_label("Add a comment")
    error = page.locator("#comment-error")
    post = page.get_by_role("button", name="Post comment")
    sent = record_mutations(page)

    await box.fill(" \n ")
    await post.click()
    await expect(error).to_have_text("Comment must not be empty")
    await expect(box).to_have_attribute("aria-invalid", "true")
    too_long = COMMENT_MAX + 1  # past maxlength: set as a script or an extension could
    await box.evaluate("(input, value) => { input.value = value; }", "x" * too_long)
    await post.click()
    await expect(error).to_have_text(f"Comment must be at most {COMMENT_MAX} characters, not {too_long}")
    assert sent == []

    await box.fill("See you there")
    await post.click()
    await expect(page.get_by_text("Comment posted.")).to_be_visible()
    await expect(error).to_be_hidden()
    assert len(sent) == 1
    assert "commentOnEvent" in sent[0]
