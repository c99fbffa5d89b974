"""USER_SRP_AUTH and its PASSWORD_VERIFIER challenge, the sign-in Amplify and AWS's SDKs use by default.

moto answers USER_SRP_AUTH with random SALT and SRP_B, accepts any PASSWORD_CLAIM_SIGNATURE, and looks
the user up by the USER_ID_FOR_SRP the client sends back, which it does not find. Here moto still checks
the client and the user (enabled, confirmed) and opens its session; this layer puts a real SRP challenge
in its place, verifies the client's claim against the user's password, and lets moto finish the sign-in
(tokens, or the next challenge) for the user by name.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from local_stack.cognito.layer import CognitoCall, CognitoReply, Forward, Handler
from local_stack.cognito.moto_state import user_of_client
from local_stack.cognito.srp import InvalidSrpA, ServerChallenge, claim_is_valid, server_challenge

CHALLENGE_LIFETIME_SECONDS = 180.0
"""Cognito's sign-in sessions last three minutes."""
WRONG_PASSWORD = "Incorrect username or password."  # noqa: S105 - a message, not a password


@dataclass(frozen=True)
class _Pending:
    challenge: ServerChallenge
    username: str
    moto_session: str
    expires: float


class SrpSignIn:
    def __init__(self) -> None:
        self._pending: dict[str, _Pending] = {}
        self._lock = threading.Lock()

    def handlers(self) -> Sequence[tuple[str, Handler]]:
        return (("InitiateAuth", self.initiate_auth), ("RespondToAuthChallenge", self.respond_to_auth_challenge))

    def initiate_auth(self, call: CognitoCall, forward: Forward) -> CognitoReply:
        if call.body.get("AuthFlow") != "USER_SRP_AUTH":
            return forward(call)
        reply = forward(call)
        if not reply.ok or reply.body.get("ChallengeName") != "PASSWORD_VERIFIER":
            return reply
        parameters = dict(reply.body.get("ChallengeParameters") or {})
        user = user_of_client(str(call.body.get("ClientId")), str(parameters.get("USERNAME")))
        if user is None:
            return CognitoReply.error("UserNotFoundException", "User does not exist.")
        srp_a = str((call.body.get("AuthParameters") or {}).get("SRP_A", ""))
        try:
            challenge = server_challenge(user.user_pool_id, user.user_id_for_srp, user.password, srp_a)
        except InvalidSrpA:
            return CognitoReply.error("InvalidParameterException", "SRP_A is not a valid SRP value.")
        moto_session = str(parameters["SECRET_BLOCK"])
        now = time.monotonic()
        with self._lock:
            self._pending = {block: p for block, p in self._pending.items() if p.expires > now}
            self._pending[challenge.secret_block] = _Pending(
                challenge, user.username, moto_session, now + CHALLENGE_LIFETIME_SECONDS
            )
        parameters.update(challenge.parameters, USER_ID_FOR_SRP=user.user_id_for_srp)
        return reply.with_body(ChallengeParameters=parameters)

    def respond_to_auth_challenge(self, call: CognitoCall, forward: Forward) -> CognitoReply:
        if call.body.get("ChallengeName") != "PASSWORD_VERIFIER":
            return forward(call)
        responses = dict(call.body.get("ChallengeResponses") or {})
        with self._lock:
            pending = self._pending.pop(str(responses.get("PASSWORD_CLAIM_SECRET_BLOCK")), None)
        if pending is None or pending.expires < time.monotonic():
            return CognitoReply.error("NotAuthorizedException", "Invalid session for the user, session is expired.")
        username = str(responses.get("USERNAME"))
        if username not in (pending.challenge.user_id_for_srp, pending.username):
            return CognitoReply.error("NotAuthorizedException", WRONG_PASSWORD)
        signature = str(responses.get("PASSWORD_CLAIM_SIGNATURE", ""))
        if not claim_is_valid(pending.challenge, signature, str(responses.get("TIMESTAMP", ""))):
            return CognitoReply.error("NotAuthorizedException", WRONG_PASSWORD)
        responses.update(USERNAME=pending.username, PASSWORD_CLAIM_SECRET_BLOCK=pending.moto_session)
        return forward(call.with_body(ChallengeResponses=responses))
