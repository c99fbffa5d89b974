"""RevokeToken, which Amplify's sign-out calls and moto does not implement (it answers HTTP 500).

As on Cognito: the refresh token stops working, and so do the access and ID tokens issued with it at
Cognito's own APIs (GetUser and the like); a token issued to another app client is refused with
UnauthorizedException; an access or ID token in its place is UnsupportedTokenTypeException. An unknown or
already revoked refresh token is answered with success, as OAuth's revocation (RFC 7009, 2.2) does, so a
repeated sign-out does not fail.
"""

from __future__ import annotations

from collections.abc import Sequence

from local_stack.cognito.layer import CognitoCall, CognitoReply, Forward, Handler
from local_stack.cognito.moto_state import TokenNotOfClient, revoke_refresh_token


def handlers() -> Sequence[tuple[str, Handler]]:
    return (("RevokeToken", revoke_token),)


def revoke_token(call: CognitoCall, _: Forward) -> CognitoReply:
    token, client_id = call.body.get("Token"), call.body.get("ClientId")
    if not isinstance(token, str) or not token or not isinstance(client_id, str) or not client_id:
        return CognitoReply.error("InvalidParameterException", "Token and ClientId are required.")
    if token.count(".") == 2:
        return CognitoReply.error("UnsupportedTokenTypeException", "Only refresh tokens can be revoked.")
    try:
        revoke_refresh_token(client_id, token)
    except TokenNotOfClient:
        return CognitoReply.error("UnauthorizedException", "The token was not issued to this client.")
    return CognitoReply.answer({})
