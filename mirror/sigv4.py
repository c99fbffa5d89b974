"""Signature Version 4 as AppSync checks it on an IAM request (``Authorization: AWS4-HMAC-SHA256 ...``).

The signature covers the method, path, query, the headers the client named and the SHA-256 of the body, under a
key derived from the secret of a known access key for the date, region and service ``appsync``; a request dated
more than five minutes away from the server's clock is refused, and temporary credentials must come with their
session token (``X-Amz-Security-Token``, signed). Written from AWS's SigV4 specification
("Create a signed AWS API request", IAM user guide) rather than with the SDK that signs, so that a fault shared by
signer and verifier cannot hide; the tests sign with botocore.

Refusals as AWS front ends answer them, in the body ``{"errors": [{"errorType", "message"}]}`` and
``x-amzn-ErrorType``: a signature that does not match, or a stale date, is 403 ``InvalidSignatureException``
(AppSync's answers in aws-amplify/amplify-js#2422 and #11480); an access key nobody issued, or a session token
not its own, is 403 ``UnrecognizedClientException``; an Authorization header that is not a complete SigV4 one is 403
``IncompleteSignatureException`` (awslabs/aws-mobile-appsync-sdk-js#702).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final
from urllib.parse import parse_qsl, quote

from mirror.http_errors import HttpError

ALGORITHM: Final = "AWS4-HMAC-SHA256"
SERVICE: Final = "appsync"
DATE_HEADER: Final = "x-amz-date"
TOKEN_HEADER: Final = "x-amz-security-token"  # noqa: S105 - a header's name
CONTENT_HASH_HEADER: Final = "x-amz-content-sha256"
ALLOWED_SKEW: Final = timedelta(minutes=5)
DATE_FORMAT: Final = "%Y%m%dT%H%M%SZ"
MISMATCH: Final = (
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details."
)


@dataclass(frozen=True)
class IamPrincipal:
    """Who holds an access key, as AppSync's IAM identity names them."""

    access_key_id: str
    secret_access_key: str
    account_id: str
    user_arn: str
    username: str
    """AppSync's ``identity.username``: for an assumed role, ``<role id>:<session name>``."""
    session_token: str | None = None
    """Temporary credentials (a Lambda function's are) come with one: the request must carry it, signed."""


@dataclass(frozen=True)
class SignedRequest:
    """What SigV4 signs: the request line, its headers (names lowercased) and the body as sent."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes


class SignatureRefused(Exception):
    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error = HttpError(403, error_type, message)


def is_sigv4(authorization: str) -> bool:
    return authorization.startswith(ALGORITHM + " ")


def verify(
    request: SignedRequest, principals: Mapping[str, IamPrincipal], region: str, now: datetime | None = None
) -> IamPrincipal:
    """The principal whose key signed ``request``; raises SignatureRefused otherwise."""
    credential, signed_headers, signature = _authorization_parts(request.headers.get("authorization", ""))
    access_key_id, scope_date, scope_region, service, terminator = _scope(credential)
    stamp = request.headers.get(DATE_HEADER, "")
    if DATE_HEADER not in signed_headers or "host" not in signed_headers:
        raise SignatureRefused("IncompleteSignatureException", "Signed headers must include host and x-amz-date.")
    missing = [name for name in signed_headers if name not in request.headers]
    if missing:
        message = f"'{missing[0]}' is named as a SignedHeader, but it does not exist in the HTTP request."
        raise SignatureRefused("IncompleteSignatureException", message)
    principal = principals.get(access_key_id)
    token = request.headers.get(TOKEN_HEADER)
    token_unsigned = token is not None and TOKEN_HEADER not in signed_headers
    if principal is None or token != principal.session_token or token_unsigned:
        raise SignatureRefused("UnrecognizedClientException", "The security token included in the request is invalid.")
    signed_at = _signing_time(stamp)
    _check_skew(stamp, signed_at, now or datetime.now(UTC))
    if scope_date != stamp[:8] or service != SERVICE or terminator != "aws4_request" or scope_region != region:
        raise SignatureRefused("InvalidSignatureException", f"Credential should be scoped to {region}/{SERVICE}.")
    body_hash = hashlib.sha256(request.body).hexdigest()
    declared_hash = request.headers.get(CONTENT_HASH_HEADER)
    if declared_hash is not None and declared_hash != body_hash:
        message = "The provided 'x-amz-content-sha256' header does not match what was computed."
        raise SignatureRefused("InvalidSignatureException", message)
    canonical = _canonical_request(request, signed_headers, body_hash)
    scope = f"{scope_date}/{scope_region}/{service}/{terminator}"
    to_sign = "\n".join((ALGORITHM, stamp, scope, hashlib.sha256(canonical.encode()).hexdigest()))
    key = _signing_key(principal.secret_access_key, scope_date, scope_region, service)
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise SignatureRefused("InvalidSignatureException", MISMATCH)
    return principal


def _authorization_parts(authorization: str) -> tuple[str, list[str], str]:
    parts: dict[str, str] = {}
    for item in authorization.removeprefix(ALGORITHM).split(","):
        name, _, value = item.strip().partition("=")
        parts[name] = value
    if not is_sigv4(authorization) or not all(parts.get(k) for k in ("Credential", "SignedHeaders", "Signature")):
        raise SignatureRefused(
            "IncompleteSignatureException",
            "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
        )
    return parts["Credential"], parts["SignedHeaders"].split(";"), parts["Signature"]


def _scope(credential: str) -> tuple[str, str, str, str, str]:
    pieces = credential.split("/")
    if len(pieces) != 5:
        raise SignatureRefused("IncompleteSignatureException", f"Credential '{credential}' is not well formed.")
    return pieces[0], pieces[1], pieces[2], pieces[3], pieces[4]


def _signing_time(stamp: str) -> datetime:
    try:
        return datetime.strptime(stamp, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        message = f"Date must be in ISO-8601 'basic format': {stamp!r}."
        raise SignatureRefused("IncompleteSignatureException", message) from None


def _check_skew(stamp: str, signed_at: datetime, now: datetime) -> None:
    earliest, latest = now - ALLOWED_SKEW, now + ALLOWED_SKEW
    at = now.strftime(DATE_FORMAT)
    if signed_at < earliest:
        bound = earliest.strftime(DATE_FORMAT)
        raise SignatureRefused(
            "InvalidSignatureException", f"Signature expired: {stamp} is now earlier than {bound} ({at} - 5 min.)"
        )
    if signed_at > latest:
        bound = latest.strftime(DATE_FORMAT)
        message = f"Signature not yet current: {stamp} is still later than {bound} ({at} + 5 min.)"
        raise SignatureRefused("InvalidSignatureException", message)


def _canonical_request(request: SignedRequest, signed_headers: list[str], body_hash: str) -> str:
    query = sorted(parse_qsl(request.query, keep_blank_values=True))
    canonical_query = "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in query)
    headers = "".join(f"{name}:{' '.join(request.headers[name].split())}\n" for name in signed_headers)
    return "\n".join(
        (
            request.method.upper(),
            quote(request.path or "/", safe="/-_.~"),
            canonical_query,
            headers,
            ";".join(signed_headers),
            body_hash,
        )
    )


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key
