"""How the stream consumer tells live pages of an event it changed: it calls ``publishEventChanged`` on the API,
signed with SigV4 for service ``appsync`` with the function's own credentials, and AppSync hands the result to
``onEventChanged``'s subscribers (the mirror does the same locally, and checks the signature as AppSync does).

botocore (part of the Lambda runtime, as boto3 is) signs; the standard library sends: nothing new in the asset.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from functools import cache
from typing import Any, Final

from resolvers import settings
from resolvers.records import EventRecord

STORAGE_ONLY: Final = frozenset({"hostId", "hostName"})
"""EventRecord's keys that are no field of Event (``Event.host`` resolves ``hostId`` and ``hostName``)."""
PUBLISHED_FIELDS: Final = tuple(name for name in EventRecord.__annotations__ if name not in STORAGE_ONLY)
"""Subscribers get the fields the mutation selected, and a field it left out arrives null (blanking it on a live
page): so the publish selects every stored field of the event, which a new stored field joins by itself. Tests hold
it to what the SPA's onEventChanged takes. Caller-specific fields (hasSeat, waitlistPosition) are not live: the
publisher holds no seat and waits in no line."""
PUBLISH_EVENT_CHANGED: Final = (
    "mutation PublishEventChanged($eventId: ID!) {\n"
    f"  publishEventChanged(eventId: $eventId) {{ {' '.join(PUBLISHED_FIELDS)} }}\n"
    "}"
)
SIGNING_SERVICE: Final = "appsync"
TIMEOUT_SECONDS: Final = 10.0


class PublishFailed(Exception):
    """The API refused the publish or answered with errors: the record is retried, as any failed work is."""


def publish_event_changed(event_id: str) -> dict[str, Any] | None:
    """The event as the API published it (None if it no longer exists); raises PublishFailed if refused."""
    url = settings.graphql_url()
    if url is None:
        raise RuntimeError(f"Set {settings.GRAPHQL_URL_VARIABLE}: the consumer publishes its changes there")
    body = json.dumps({"query": PUBLISH_EVENT_CHANGED, "variables": {"eventId": event_id}}).encode()
    headers = signed_headers(url, body)
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"{settings.GRAPHQL_URL_VARIABLE} must be an HTTP(S) URL, not {url!r}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - scheme checked
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked
            answer = json.load(response)
    except urllib.error.HTTPError as refused:
        raise PublishFailed(f"HTTP {refused.code}: {refused.read().decode(errors='replace')[:500]}") from None
    if answer.get("errors"):
        raise PublishFailed(json.dumps(answer["errors"])[:1000])
    published: dict[str, Any] | None = (answer.get("data") or {}).get("publishEventChanged")
    return published


def signed_headers(url: str, body: bytes) -> dict[str, str]:
    """SigV4 headers (Authorization, X-Amz-Date, and the session token where there is one) for a JSON POST."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    request = AWSRequest(method="POST", url=url, data=body, headers={"content-type": "application/json"})
    SigV4Auth(_credentials().get_frozen_credentials(), SIGNING_SERVICE, _region()).add_auth(request)
    return dict(request.headers.items())


@cache
def _credentials() -> Any:
    from botocore.session import get_session

    credentials = get_session().get_credentials()
    if credentials is None:
        raise RuntimeError("No AWS credentials to sign the publish with")
    return credentials


def _region() -> str:
    return os.environ.get("AWS_REGION") or os.environ["AWS_DEFAULT_REGION"]
