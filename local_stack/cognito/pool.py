"""A local Cognito user pool: moto's server on 127.0.0.1, with Gather's app client, admins group and demo users.

Requests reach moto through ``CognitoLayer`` (local_stack/cognito/layer.py): Cognito actions that moto lacks
or answers unlike Cognito are handled there first. ``cognito_actions()`` below lists them; to answer
another action, write a handler module and add its ``(action, handler)`` pairs there.

moto keeps its state in memory, so the pool is provisioned anew on every start. Seeding moto's random
source first makes the pool id, client id and every user's ``sub`` the same on each start, so events a
demo user hosted stay theirs across restarts.

Where Cognito would send an email (a confirmation or reset code, an invitation), the pool appends it to the
outbox file and prints it on the console (local_stack/cognito/mail.py).

Run as ``python -m local_stack.cognito.pool PORT [OUTBOX]``, the server exits when its stdin closes, which
is when the process that started it goes away for any reason.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import httpx

from local_stack.cognito import revoke_token
from local_stack.cognito.layer import CognitoLayer, Handler
from local_stack.cognito.mail import CognitoMail, Outbox
from local_stack.cognito.passwords import new_password
from local_stack.cognito.srp_sign_in import SrpSignIn
from local_stack.local_aws import LOCAL_REGION, boto3_credentials
from local_stack.processes import terminate_group
from mirror.cognito_tokens import CognitoSettings
from resolvers.api_settings import PASSWORD_POLICY, SIGN_UP_ATTRIBUTES
from resolvers.identity import ADMINS_GROUP

DEMO_USERS = (("Ada", True), ("Grace", False), ("Linus", False))
"""Demo usernames and whether each is an admin."""
APP_CLIENT_AUTH_FLOWS = ("ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")
"""As the deployed app client allows (a test compares them)."""
MOTO_SEED = 1815
OUTBOX_FILE = "cognito-outbox.jsonl"
_READY = "GATHER-COGNITO READY"


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    sub: str
    groups: tuple[str, ...]


@dataclass
class LocalCognito:
    """The moto server process and what was provisioned in it."""

    endpoint: str = ""
    settings: CognitoSettings | None = None
    users: list[DemoUser] = field(default_factory=list)
    outbox_path: Path | None = None
    """Where the emails go: the data dir's, or a temporary directory's kept until stop() without one."""
    _process: subprocess.Popen[str] | None = None
    _scratch: str | None = None

    def start(self, port: int, passwords: dict[str, str], data_dir: Path | None = None) -> None:
        if data_dir is None:
            self._scratch = tempfile.mkdtemp(prefix="gather-cognito-")
        self.outbox_path = (data_dir or Path(self._scratch or "")) / OUTBOX_FILE
        self._process = subprocess.Popen(  # noqa: S603 - fixed command, no shell
            [sys.executable, "-m", "local_stack.cognito.pool", str(port), str(self.outbox_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        atexit.register(self.stop)
        assert self._process.stdout is not None
        ready = self._process.stdout.readline()
        if not ready.startswith(_READY):
            self.stop()
            raise RuntimeError(f"The local Cognito did not start: {ready!r}")
        self.endpoint = ready.split()[-1]
        self._provision(passwords)

    def _provision(self, passwords: dict[str, str]) -> None:
        httpx.post(f"{self.endpoint}/moto-api/seed", params={"a": MOTO_SEED}).raise_for_status()
        client = self._client()
        pool_id = client.create_user_pool(
            PoolName="gather-local",
            # As the deployed pool (cdk_app/auth.py): required attributes, email verified by a code, sign-in
            # by username or email, recovery by email, optional TOTP.
            Schema=[
                {"Name": name, "AttributeDataType": "String", "Required": True, "Mutable": True}
                for name in SIGN_UP_ATTRIBUTES
            ],
            AutoVerifiedAttributes=["email"],
            AccountRecoverySetting={"RecoveryMechanisms": [{"Priority": 1, "Name": "verified_email"}]},
            Policies={
                "PasswordPolicy": {
                    "MinimumLength": PASSWORD_POLICY.min_length,
                    "RequireUppercase": PASSWORD_POLICY.require_uppercase,
                    "RequireLowercase": PASSWORD_POLICY.require_lowercase,
                    "RequireNumbers": PASSWORD_POLICY.require_digits,
                    "RequireSymbols": PASSWORD_POLICY.require_symbols,
                }
            },
        )["UserPool"]["Id"]
        client_id = client.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="gather-spa",
            GenerateSecret=False,
            ExplicitAuthFlows=list(APP_CLIENT_AUTH_FLOWS),
        )["UserPoolClient"]["ClientId"]
        client.set_user_pool_mfa_config(
            UserPoolId=pool_id, SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL"
        )
        client.create_group(UserPoolId=pool_id, GroupName=ADMINS_GROUP)
        for username, is_admin in DEMO_USERS:
            groups = (ADMINS_GROUP,) if is_admin else ()
            sub = _add_user(client, pool_id, username, passwords[username], groups)
            self.users.append(DemoUser(username, passwords[username], sub, groups))
        self.settings = CognitoSettings(
            user_pool_id=pool_id,
            client_id=client_id,
            issuer=f"https://cognito-idp.{LOCAL_REGION}.amazonaws.com/{pool_id}",
            jwks_url=f"{self.endpoint}/{pool_id}/.well-known/jwks.json",
        )

    def create_user(self, username: str, password: str, groups: tuple[str, ...] = ()) -> str:
        """Another confirmed user with a permanent password, made as the demo users are; returns its sub."""
        assert self.settings is not None
        return _add_user(self._client(), self.settings.user_pool_id, username, password, groups)

    def _client(self) -> Any:
        return boto3.client("cognito-idp", endpoint_url=self.endpoint, **boto3_credentials())

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def restart(self) -> None:
        """Starts moto again on the same port; the same seed gives the same pool, client and demo users."""
        port = int(self.endpoint.rsplit(":", 1)[1])
        passwords = {user.username: user.password for user in self.users}
        self.stop()
        self.users = []
        self.start(port, passwords)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        atexit.unregister(self.stop)
        if process.stdin is not None:
            process.stdin.close()
        terminate_group(process, 10.0)
        if process.stdout is not None:
            process.stdout.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


def _add_user(client: Any, pool_id: str, username: str, password: str, groups: tuple[str, ...]) -> str:
    """An administrator's AdminCreateUser without the invitation email, then a permanent password: confirmed."""
    created = client.admin_create_user(
        UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS", UserAttributes=_email(username)
    )
    client.admin_set_user_password(UserPoolId=pool_id, Username=username, Password=password, Permanent=True)
    for group in groups:
        client.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=group)
    return str(next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub"))


def _email(username: str) -> list[dict[str, str]]:
    """A verified address for a user made here (demo and test users), so a password reset reaches the outbox."""
    return [
        {"Name": "email", "Value": f"{username.lower()}@example.org"},
        {"Name": "email_verified", "Value": "true"},
    ]


def demo_passwords(data_dir: Path | None) -> dict[str, str]:
    """One generated password per demo user, kept in the data dir so it stays the same across restarts."""
    path = None if data_dir is None else data_dir / "demo-passwords"
    if path is not None and path.exists():
        return dict(line.split(" ", 1) for line in path.read_text().splitlines())
    passwords = {username: new_password() for username, _ in DEMO_USERS}
    if path is not None:
        path.write_text("".join(f"{user} {password}\n" for user, password in passwords.items()))
        path.chmod(0o600)
    return passwords


def cognito_actions(outbox: Outbox) -> list[tuple[str, Handler]]:
    """The Cognito actions Gather answers around moto, each with its handler, in the order they apply."""
    return [*SrpSignIn().handlers(), *revoke_token.handlers(), *CognitoMail(outbox).handlers()]


def cognito_app(outbox: Outbox) -> CognitoLayer:
    """moto's server app behind the layer that answers ``cognito_actions()``."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return CognitoLayer(DomainDispatcherApplication(create_backend_app), cognito_actions(outbox))


def _serve(port: int, outbox_path: Path | None) -> None:
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    # moto checks TOTP codes (against its one fixed secret, which AssociateSoftwareToken hands out) only when
    # told to; without it, any code would pass enrolment and sign-in.
    os.environ["MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP"] = "true"
    server = make_server("127.0.0.1", port, cognito_app(Outbox(outbox_path)), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="cognito", daemon=True)
    thread.start()  # the socket is bound and listening already, so clients may connect at once
    print(f"{_READY} http://127.0.0.1:{server.server_port}", flush=True)
    sys.stdin.read()  # until our owner closes the pipe or dies
    server.shutdown()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
