"""What the local pool would email, and the codes in those emails, checked as Cognito checks them.

moto sends no email and accepts any code at ConfirmSignUp (and, at ConfirmForgotPassword, any code that
lacks its own prefix); its AdminCreateUser without a temporary password leaves a user no one can sign in
as; it has no ResendConfirmationCode. These handlers, in the layer around moto, make the pool behave as
Cognito does: every code is random, single-use and expires; a wrong one is ``CodeMismatchException``, a
used or expired one ``ExpiredCodeException``. Each email is printed on the console (``gather dev``'s) and
appended to the outbox file, one JSON object a line, so a person and a test can both read it.
"""

from __future__ import annotations

import json
import secrets
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from local_stack.cognito.layer import CognitoCall, CognitoReply, Forward, Handler
from local_stack.cognito.moto_state import user_of_client
from local_stack.cognito.passwords import new_password
from resolvers.api_settings import SIGN_UP_ATTRIBUTES

SIGN_UP_CODE_LIFETIME = 24 * 3600.0
"""Cognito's confirmation codes last 24 hours; its password-reset codes one hour."""
RESET_CODE_LIFETIME = 3600.0
MISMATCH = ("CodeMismatchException", "Invalid verification code provided, please try again.")
EXPIRED = ("ExpiredCodeException", "Invalid code provided, please request a code again.")


@dataclass(frozen=True)
class Email:
    """One message the pool sent: who to, why, and the code or temporary password in it."""

    time: str
    to: str
    username: str
    purpose: str
    """"confirm-sign-up", "reset-password" or "invitation"."""
    code: str
    text: str


@dataclass
class _Code:
    value: str
    expires: float


class Outbox:
    """Appends each email to a file and prints it, so whoever runs the pool sees the code."""

    def __init__(self, path: Path | None, console: Callable[[str], None] | None = None) -> None:
        self.path = path
        self.console = console or (lambda line: print(line, file=sys.stderr, flush=True))
        self._lock = threading.Lock()

    def send(self, to: str, username: str, purpose: str, code: str, text: str) -> None:
        email = Email(datetime.now(UTC).isoformat(timespec="seconds"), to, username, purpose, code, text)
        with self._lock:
            if self.path is not None:
                with self.path.open("a", encoding="utf-8") as outbox:
                    outbox.write(json.dumps(asdict(email)) + "\n")
            self.console(f"  Email to {username} <{to}>: {text}")


def read_outbox(path: Path) -> list[Email]:
    """Every email in an outbox file, oldest first (tests, scripts)."""
    if not path.exists():
        return []
    return [Email(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _attributes(pairs: Any) -> dict[str, str]:
    return {str(pair.get("Name")): str(pair.get("Value", "")) for pair in pairs or [] if isinstance(pair, dict)}


def _masked(email: str) -> str:
    """As Cognito shows where it sent a code: l***@e***."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


class CognitoMail:
    """The handlers, sharing the codes they issued (in memory, like the rest of moto's pool)."""

    def __init__(self, outbox: Outbox, clock: Callable[[], float] = time.time) -> None:
        self.outbox = outbox
        self._clock = clock
        self._codes: dict[tuple[str, str], _Code] = {}
        self._lock = threading.Lock()

    def handlers(self) -> list[tuple[str, Handler]]:
        return [
            ("SignUp", self.sign_up),
            ("ConfirmSignUp", self.confirm_sign_up),
            ("ResendConfirmationCode", self.resend_confirmation_code),
            ("ForgotPassword", self.forgot_password),
            ("ConfirmForgotPassword", self.confirm_forgot_password),
            ("AdminCreateUser", self.admin_create_user),
        ]

    # Codes -------------------------------------------------------------------------------------

    def _issue(self, purpose: str, username: str, lifetime: float) -> str:
        code = f"{secrets.randbelow(1_000_000):06d}"
        with self._lock:
            self._codes[(purpose, username)] = _Code(code, self._clock() + lifetime)
        return code

    def _check(self, purpose: str, username: str, given: str) -> CognitoReply | None:
        """None when the code is the one issued and still valid; else Cognito's refusal."""
        with self._lock:
            issued = self._codes.get((purpose, username))
        if issued is None or issued.expires <= self._clock():
            return CognitoReply.error(*EXPIRED)
        if not secrets.compare_digest(issued.value, str(given)):
            return CognitoReply.error(*MISMATCH)
        return None

    def _spend(self, purpose: str, username: str) -> None:
        with self._lock:
            self._codes.pop((purpose, username), None)

    def _redeem(self, purpose: str, call: CognitoCall, forward: Forward) -> CognitoReply:
        """Forwards ``call`` only with the live code issued for ``purpose``, which is spent once Cognito accepts."""
        username = str(call.body.get("Username", ""))
        refused = self._check(purpose, username, str(call.body.get("ConfirmationCode", "")))
        if refused is not None:
            return refused
        reply = forward(call)
        if reply.ok:
            self._spend(purpose, username)
        return reply

    @staticmethod
    def _user(call: CognitoCall, forward: Forward) -> dict[str, Any] | None:
        """The user the call names (AdminGetUser's answer: status and attributes), in its app client's pool."""
        found = user_of_client(str(call.body.get("ClientId", "")), str(call.body.get("Username", "")))
        if found is None:
            return None
        reply = forward(CognitoCall("AdminGetUser", {"UserPoolId": found.user_pool_id, "Username": found.username}))
        return reply.body if reply.ok else None

    # Handlers ----------------------------------------------------------------------------------

    def sign_up(self, call: CognitoCall, forward: Forward) -> CognitoReply:
        given = _attributes(call.body.get("UserAttributes"))
        missing = [name for name in SIGN_UP_ATTRIBUTES if not given.get(name, "").strip()]
        if missing:
            return CognitoReply.error(
                "InvalidParameterException",
                "Attributes did not conform to the schema: "
                + ", ".join(f"{name}: The attribute is required" for name in missing),
            )
        if "email" in given and "@" not in given["email"]:
            return CognitoReply.error("InvalidParameterException", "Invalid email address format.")
        reply = forward(call)
        if not reply.ok:
            return reply
        username = str(call.body.get("Username", ""))
        email = given.get("email", "")
        code = self._issue("confirm-sign-up", username, SIGN_UP_CODE_LIFETIME)
        self.outbox.send(email, username, "confirm-sign-up", code, f"Your Gather confirmation code is {code}")
        return reply.with_body(
            UserConfirmed=False,
            CodeDeliveryDetails={"Destination": _masked(email), "DeliveryMedium": "EMAIL", "AttributeName": "email"},
        )

    def confirm_sign_up(self, call: CognitoCall, forward: Forward) -> CognitoReply:
        user = self._user(call, forward)
        if user is None:
            return CognitoReply.error(*MISMATCH)  # as Cognito answers when it prevents user-existence errors
        if user.get("UserStatus") != "UNCONFIRMED":
            return CognitoReply.error(
                "NotAuthorizedException", f"User cannot be confirmed. Current status is {user.get('UserStatus')}"
            )
        return self._redeem("confirm-sign-up", call, forward)

    def resend_confirmation_code(self, call: CognitoCall, forward: Forward) -> CognitoReply:
        username = str(call.body.get("Username", ""))
        user = self._user(call, forward)
        if user is None:
            return CognitoReply.error("UserNotFoundException", "Username/client id combination not found.")
        if user.get("UserStatus") != "UNCONFIRMED":
            return CognitoReply.error("InvalidParameterException", "User is already confirmed.")
        email = _attributes(user.get("UserAttributes")).get("email", "")
        code = self._issue("confirm-sign-up", username, SIGN_UP_CODE_LIFETIME)
        self.outbox.send(email, username, "confirm-sign-up", code, f"Your Gather confirmation code is {code}")
        return CognitoReply.answer(
            {
                "CodeDeliveryDetails": {
                    "Destination": _masked(email),
                    "DeliveryMedium": "EMAIL",
                    "AttributeName": "email",
                }
            }
        )

    def forgot_password(self, call: CognitoCall, forward: Forward) -> CognitoReply:
        reply = forward(call)
        username = str(call.body.get("Username", ""))
        user = self._user(call, forward) if reply.ok else None
        if user is None:
            return reply
        email = _attributes(user.get("UserAttributes")).get("email", "")
        code = self._issue("reset-password", username, RESET_CODE_LIFETIME)
        self.outbox.send(email, username, "reset-password", code, f"Your Gather password reset code is {code}")
        # moto's own code travels in a header of its invention; Cognito's answer has none.
        headers = tuple((name, value) for name, value in reply.headers if not name.lower().startswith("x-moto-"))
        return CognitoReply(reply.status, reply.body, headers)

    def confirm_forgot_password(self, call: CognitoCall, forward: Forward) -> CognitoReply:
        return self._redeem("reset-password", call, forward)

    def admin_create_user(self, call: CognitoCall, forward: Forward) -> CognitoReply:
        """Cognito makes a temporary password when none is given, and emails it unless told not to."""
        temporary = call.body.get("TemporaryPassword") or new_password()
        reply = forward(call.with_body(TemporaryPassword=temporary))
        if not reply.ok or call.body.get("MessageAction") == "SUPPRESS":
            return reply
        username = str(call.body.get("Username", ""))
        email = _attributes(call.body.get("UserAttributes")).get("email", "")
        self.outbox.send(
            email,
            username,
            "invitation",
            str(temporary),
            f"Your Gather username is {username} and your temporary password is {temporary}",
        )
        return reply
