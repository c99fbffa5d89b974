"""Lighthouse >= 0.95 in every category and no serious axe-core violation, on every kind of page, signed in or not.

The pages show the seeded showcase event (description, comments, attendees), as a visitor finds it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, Playwright, expect

from local_stack.demo_data import SHOWCASE_EVENT
from tests.browser.helpers import DESKTOP, PHONE, OpenVisitor, account, demo_event, graphql
from tests.browser.quality_gates import (
    MIN_SCORE,
    LighthouseReport,
    attached,
    audit,
    debuggable_chromium,
    serious_axe_violations,
)
from tests.conftest import RunningStack


async def test_lighthouse_scores_on_every_page(
    playwright: Playwright, local_stack: RunningStack, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = await demo_event(local_stack, SHOWCASE_EVENT)
    host = await account(local_stack, event["host"]["displayName"])
    base = local_stack.base_url
    reports: list[LighthouseReport] = []
    with debuggable_chromium(tmp_path / "profile") as port:
        for name, path in (("list", "/"), ("event", f"/events/{event['id']}")):
            reports.append(await audit(port, base + path, name))
        async with attached(playwright, port, base) as visitor:
            await visitor.goto("/")
            await visitor.sign_in(host)
        for name, path in (("form", "/new"), ("account", "/account")):
            reports.append(await audit(port, base + path, name))
        async with attached(playwright, port, base) as visitor:  # the session outlived the audits: they were signed in
            await visitor.goto("/account")
            await expect(visitor.page.locator(".who strong")).to_have_text(host.username)

    with capsys.disabled():
        print(f"\n\nLighthouse (mobile, simulated throttling; form and account signed in)\n{LighthouseReport.HEADER}")
        for report in reports:
            print(report.line())
    below = [report for report in reports if min(report.scores.values()) < MIN_SCORE]
    assert below == [], "\n".join(
        f"{report.page}: {report.scores}\n  " + "\n  ".join(report.lost_points) for report in below
    )


async def _ready(page: Page, kind: str, event: dict[str, Any]) -> None:
    """The view has rendered what it shows (the heading comes last, once the data is there)."""
    if kind == "event":
        await expect(page.get_by_role("heading", level=1, name=event["title"])).to_be_visible()
    else:
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await expect(page.get_by_role("main").get_by_role("status").filter(has_text="Loading")).to_have_count(0)
    await page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
async def test_axe_finds_nothing_serious(
    open_visitor: OpenVisitor, local_stack: RunningStack, viewport: dict[str, int]
) -> None:
    event = await demo_event(local_stack, SHOWCASE_EVENT)
    host = event["host"]["displayName"]
    attendee = await account(local_stack, "Axe attendee")
    taken = await graphql(
        local_stack, "mutation($id: ID!) { rsvp(eventId: $id) { id } }", {"id": event["id"]}, attendee.username
    )
    assert not taken.get("errors") or taken["errors"][0]["errorType"] == "AlreadyRsvped", taken  # the other width's
    pages = {
        "list": "/",
        "event": f"/events/{event['id']}",
        "form": "/new",
        "edit form": f"/events/{event['id']}/edit",
        "account": "/account",
    }
    visits = ((None, ("list", "event")), (attendee.username, ("event", "account")), (host, tuple(pages)))
    found: dict[str, list[str]] = {}
    for user, kinds in visits:
        visitor = await open_visitor(viewport=viewport, user=user)
        for kind in kinds:
            await visitor.goto(pages[kind])
            await _ready(visitor.page, kind.removeprefix("edit "), event)
            found[f"{kind} ({user or 'signed out'})"] = await serious_axe_violations(visitor.page)
    assert {page: violations for page, violations in found.items() if violations} == {}


async def test_axe_reports_what_it_finds(open_visitor: OpenVisitor) -> None:
    """The gate can fail: a control without a label, added to a real page, is a critical violation."""
    visitor = await open_visitor()
    await visitor.goto("/")
    await _ready(visitor.page, "list", {})
    await visitor.page.evaluate("document.querySelector('main').append(document.createElement('input'))")
    violations = await serious_axe_violations(visitor.page)
    assert len(violations) == 1
    assert violations[0].startswith("critical: label ")
