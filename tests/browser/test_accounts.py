"""A stranger's account, through the SPA's own dialog and Cognito's API (the local pool, as on AWS): sign up and
confirm with the emailed code, a seat seen on a second device, a password reset, an admin-made account's first
password, and two-step sign-in with an authenticator app's code. Codes come from the outbox, as a person reads them."""

from __future__ import annotations

import asyncio
import base64
import time
import uuid
from typing import Any

import boto3
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from playwright.async_api import Locator, Page, expect

from local_stack.cognito.mail import read_outbox
from local_stack.cognito.passwords import new_password
from resolvers.api_settings import PASSWORD_POLICY
from tests.browser.helpers import Account, OpenVisitor, account, create_event, find_in_list
from tests.conftest import RunningStack


def outbox_code(stack: RunningStack, username: str, purpose: str) -> str:
    """The code (or temporary password) in the newest email of that kind to that user."""
    path = stack.stack.cognito.outbox_path
    assert path is not None
    return next(m.code for m in reversed(read_outbox(path)) if m.username == username and m.purpose == purpose)


def totp_now(secret: str) -> str:
    """What an authenticator app shows for the setup key (RFC 6238: SHA-1, 6 digits, 30 s)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    totp = TOTP(key, 6, SHA1(), 30, enforce_key_length=False)  # noqa: S303 - RFC 6238's and Cognito's hash
    return totp.generate(int(time.time())).decode()


def dialog(page: Page, name: str) -> Locator:
    return page.get_by_role("dialog", name=name)


async def signed_in_as(page: Page, username: str) -> None:
    await expect(page.get_by_role("dialog")).to_be_hidden()
    await expect(page.locator(".who strong")).to_have_text(username)


async def test_a_stranger_signs_up_confirms_and_sees_their_seat_on_a_second_device(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    event = await create_event(local_stack, user="Hana")
    username, password = f"stranger-{uuid.uuid4().hex[:6]}", new_password()
    visitor = await open_visitor()
    visitor.expect_console_error("status of 400")  # Cognito refuses the wrong code
    page = visitor.page
    await visitor.goto(f"/events/{event['id']}")
    await page.get_by_role("banner").get_by_role("button", name="Sign up").click()
    form = dialog(page, "Create an account")
    # The pool's rules, as config.json's passwordPolicy gives them.
    await expect(form.locator("#sign-in-hint")).to_contain_text(f"a password of at least {PASSWORD_POLICY.min_length} ")
    await form.get_by_label("Username").fill(username)
    await form.get_by_label("Email address").fill(f"{username}@example.org")
    await form.get_by_label("Password").fill(password)
    await form.get_by_role("button", name="Create account").click()

    confirm = dialog(page, "Confirm your account")
    await expect(confirm.get_by_text("We sent a code to s***@e***.")).to_be_visible()
    code = outbox_code(local_stack, username, "confirm-sign-up")
    await confirm.get_by_label("Confirmation code").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    await confirm.get_by_role("button", name="Confirm").click()
    await expect(confirm.locator("#sign-in-error")).to_have_text("That code is not right. Check it and try again.")
    await confirm.get_by_label("Confirmation code").fill(code)
    await confirm.get_by_role("button", name="Confirm").click()
    await signed_in_as(page, username)

    await page.get_by_role("button", name="RSVP", exact=True).click()
    await expect(page.get_by_text("You're going! Your seat is saved.")).to_be_visible()

    # Another device: no local record, the API says whether they hold a seat.
    second = await open_visitor(user=Account(username, password))
    await second.goto(f"/events/{event['id']}")
    await expect(second.page.get_by_role("button", name="Cancel RSVP")).to_be_visible()
    await second.goto("/account")
    await expect(second.page.locator(".my-rsvps")).to_contain_text(event["title"])
    await second.goto("/")
    await find_in_list(second.page, event["title"])
    card = second.page.locator(".card", has=second.page.get_by_role("link", name=event["title"]))
    await expect(card.locator(".your-seat")).to_have_text("You have a seat")


async def test_a_forgotten_password_is_reset_with_the_emailed_code(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    person = await account(local_stack, f"forgetful-{uuid.uuid4().hex[:6]}")
    visitor = await open_visitor()
    page = visitor.page
    await visitor.goto("/")
    await page.get_by_role("banner").get_by_role("button", name="Sign in", exact=True).click()
    await dialog(page, "Sign in").get_by_role("button", name="Forgot your password?").click()
    forgot = dialog(page, "Reset your password")
    await forgot.get_by_label("Username").fill(person.username)
    await forgot.get_by_role("button", name="Send code").click()
    reset = dialog(page, "Choose a new password")
    await expect(reset).to_be_visible()
    fresh = new_password()
    await reset.get_by_label("Code").fill(outbox_code(local_stack, person.username, "reset-password"))
    await reset.get_by_label("New password").fill(fresh)
    await reset.get_by_role("button", name="Reset password").click()
    await signed_in_as(page, person.username)

    await visitor.sign_out()
    await visitor.sign_in(Account(person.username, fresh))


async def test_an_admin_made_account_sets_its_own_password(
    open_visitor: OpenVisitor, local_stack: RunningStack
) -> None:
    cognito = local_stack.stack.cognito
    assert cognito.settings is not None
    username = f"invited-{uuid.uuid4().hex[:6]}"
    client: Any = boto3.client(
        "cognito-idp",
        endpoint_url=cognito.endpoint,
        region_name="us-east-1",
        aws_access_key_id="any",
        aws_secret_access_key="any",
    )
    await asyncio.to_thread(
        client.admin_create_user,
        UserPoolId=cognito.settings.user_pool_id,
        Username=username,
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.org"}],
    )
    visitor = await open_visitor()
    visitor.expect_console_error("status of 400")  # Cognito refuses the weak password
    page = visitor.page
    await visitor.goto("/")
    await page.get_by_role("banner").get_by_role("button", name="Sign in", exact=True).click()
    sign_in = dialog(page, "Sign in")
    await sign_in.get_by_label("Username").fill(username)
    await sign_in.get_by_label("Password").fill(outbox_code(local_stack, username, "invitation"))
    await sign_in.get_by_role("button", name="Sign in", exact=True).click()
    choose = dialog(page, "Set your password")
    await choose.get_by_label("New password").fill("short")
    await choose.get_by_role("button", name="Set password").click()
    await expect(choose.locator("#sign-in-error")).to_contain_text("That password is too weak")
    password = new_password()
    await choose.get_by_label("New password").fill(password)
    await choose.get_by_role("button", name="Set password").click()
    await signed_in_as(page, username)

    await visitor.sign_out()
    await visitor.sign_in(Account(username, password))


async def test_two_step_sign_in_with_an_authenticator_app(open_visitor: OpenVisitor, local_stack: RunningStack) -> None:
    person = await account(local_stack, f"careful-{uuid.uuid4().hex[:6]}")
    visitor = await open_visitor(user=person)
    visitor.expect_console_error("status of 400")  # Cognito refuses the wrong code
    page = visitor.page
    await page.locator(".who-link").click()
    await expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
    await page.get_by_role("button", name="Set up an authenticator app").click()
    secret = (await page.locator("#totp-secret").text_content() or "").strip()
    await page.get_by_label("Code from the app").fill(totp_now(secret))
    await page.get_by_role("button", name="Turn on").click()
    await expect(page.get_by_text("Two-step sign-in is on.")).to_be_visible()

    await visitor.sign_out()
    await page.get_by_role("banner").get_by_role("button", name="Sign in", exact=True).click()
    sign_in = dialog(page, "Sign in")
    await sign_in.get_by_label("Username").fill(person.username)
    await sign_in.get_by_label("Password").fill(person.password)
    await sign_in.get_by_role("button", name="Sign in", exact=True).click()
    code = dialog(page, "Enter your code")
    await code.get_by_label("Code").fill(f"{(int(totp_now(secret)) + 500_000) % 1_000_000:06d}")
    await code.get_by_role("button", name="Verify").click()
    await expect(code.locator("#sign-in-error")).to_be_visible()
    await code.get_by_label("Code").fill(totp_now(secret))
    await code.get_by_role("button", name="Verify").click()
    await signed_in_as(page, person.username)
