"""publishEventChanged, the stream consumer's IAM-only mutation, on the session stack: a request signed with SigV4 and
the credentials stack.json names for the consumer answers and reaches onEventChanged's subscribers; unsigned,
wrongly signed, API-key and signed-in requests are refused as AppSync refuses them."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from gql import Client, GraphQLRequest
from gql.transport.appsync_auth import AppSyncApiKeyAuthentication
from gql.transport.appsync_websockets import AppSyncWebsocketsTransport
from gql.transport.httpx import HTTPXTransport

from resolvers import publish
from resolvers.settings import GRAPHQL_URL_VARIABLE
from tests.conftest import OpenSubscriptions, RunningStack
from tests.integration.conftest import Api
from tests.integration.signing import SigV4, signed_with

PUBLISH = "mutation($id: ID!) { publishEventChanged(eventId: $id) { id title attendeeCount } }"
ON_EVENT = "subscription($id: ID!) { onEventChanged(id: $id) { id title attendeeCount } }"
RECEIVE_TIMEOUT = 10
PROMOTION_TIMEOUT = 30
"""The consumer's turn: the stream's next poll, its batch, the promotion and the publish (a loaded machine)."""


def consumer_credentials(stack: RunningStack) -> dict[str, str]:
    """What stack.json names for the consumer (its accessKeyId, secretAccessKey and region)."""
    credentials: dict[str, str] = json.loads(json.dumps(stack.stack.stack_file()))["streamConsumer"]
    return credentials


def signed_as_consumer(stack: RunningStack, **override: str) -> SigV4:
    return signed_with({**consumer_credentials(stack), **override})


def post(
    stack: RunningStack, body: dict[str, Any], auth: httpx.Auth | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    return stack.http.post(stack.graphql_url, json=body, auth=auth or httpx.USE_CLIENT_DEFAULT, headers=headers)


def publish_request(event_id: str) -> dict[str, Any]:
    return {"query": PUBLISH, "variables": {"id": event_id}}


def test_a_request_signed_with_the_consumers_credentials_answers(local_stack: RunningStack, host: Api) -> None:
    event = host.create_event()
    transport = HTTPXTransport(url=local_stack.graphql_url, auth=signed_as_consumer(local_stack), timeout=30)
    with Client(transport=transport, fetch_schema_from_transport=False) as session:
        answer = session.execute(GraphQLRequest(PUBLISH, variable_values={"id": event["id"]}))
    assert answer == {"publishEventChanged": {"id": event["id"], "title": event["title"], "attendeeCount": 0}}


def test_the_consumer_reads_only_what_iam_may_read(local_stack: RunningStack, host: Api) -> None:
    """Its identity is IAM: fields and types without @aws_iam are refused to it, as AppSync refuses them."""
    event = host.create_event()
    body = post(
        local_stack,
        {"query": "query($id: ID!) { getEvent(id: $id) { id } }", "variables": {"id": event["id"]}},
        signed_as_consumer(local_stack),
    ).json()
    assert body["data"] == {"getEvent": None}
    assert [(e["errorType"], e["message"]) for e in body["errors"]] == [
        ("Unauthorized", "Not Authorized to access getEvent on type Query")
    ]
    attendees = "mutation($id: ID!) { publishEventChanged(eventId: $id) { id attendees { nextToken } } }"
    body = post(local_stack, {"query": attendees, "variables": {"id": event["id"]}}, signed_as_consumer(local_stack))
    assert body.json()["data"] == {"publishEventChanged": {"id": event["id"], "attendees": None}}


@pytest.mark.parametrize("caller", ["api_key", "signed_in"])
def test_api_key_and_signed_in_callers_are_not_authorized(local_stack: RunningStack, host: Api, caller: str) -> None:
    event = host.create_event()
    user = "publisher-wannabe" if caller == "signed_in" else None
    response = post(local_stack, publish_request(event["id"]), headers=local_stack.headers(user))
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"publishEventChanged": None}
    assert [(e["errorType"], e["message"]) for e in body["errors"]] == [
        ("Unauthorized", "Not Authorized to access publishEventChanged on type Mutation")
    ]


def test_an_unsigned_request_without_a_key_is_unauthorized(local_stack: RunningStack) -> None:
    response = post(local_stack, publish_request("any"))
    assert response.status_code == 401
    assert response.headers["x-amzn-ErrorType"] == "UnauthorizedException"


@pytest.mark.parametrize(
    ("signing", "error_type"),
    [
        (lambda stack: signed_as_consumer(stack, secretAccessKey="guessed"), "InvalidSignatureException"),
        (lambda stack: signed_as_consumer(stack, accessKeyId="AKIAUNKNOWNKEY"), "UnrecognizedClientException"),
        (lambda stack: signed_as_consumer(stack, sessionToken="an-old-session"), "UnrecognizedClientException"),
        (lambda stack: signed_as_consumer(stack, region="eu-west-1"), "InvalidSignatureException"),
    ],
    ids=["wrong-secret", "unknown-key", "wrong-session-token", "other-region"],
)
def test_a_wrongly_signed_request_is_refused_before_any_field_runs(
    local_stack: RunningStack, host: Api, signing: Callable[[RunningStack], SigV4], error_type: str
) -> None:
    event = host.create_event()
    before = len(local_stack.requests)
    response = post(local_stack, publish_request(event["id"]), signing(local_stack))
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"] == error_type
    assert [e["errorType"] for e in response.json()["errors"]] == [error_type]
    assert len(local_stack.requests) == before, "no GraphQL ran"


def test_a_body_changed_after_signing_is_refused(local_stack: RunningStack, host: Api) -> None:
    event = host.create_event()
    signed = AWSRequest(
        method="POST",
        url=local_stack.graphql_url,
        data=json.dumps(publish_request(event["id"])).encode(),
        headers={"content-type": "application/json"},
    )
    credentials = consumer_credentials(local_stack)
    signer = Credentials(credentials["accessKeyId"], credentials["secretAccessKey"], credentials["sessionToken"])
    SigV4Auth(signer, "appsync", credentials["region"]).add_auth(signed)
    tampered = json.dumps(publish_request("someone-elses-event")).encode()
    response = local_stack.http.post(local_stack.graphql_url, content=tampered, headers=dict(signed.headers.items()))
    assert response.status_code == 403
    assert response.json()["errors"][0]["errorType"] == "InvalidSignatureException"


@pytest.fixture
def consumer_environment(local_stack: RunningStack, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Gives this process the consumer's Lambda environment (credentials, region, API URL), as gather dev gives
    its environment, so the consumer's own publish code runs here; overrides change a credential."""

    def become(**override: str) -> None:
        credentials = {**consumer_credentials(local_stack), **override}
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", credentials["accessKeyId"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", credentials["secretAccessKey"])
        monkeypatch.setenv("AWS_SESSION_TOKEN", credentials["sessionToken"])
        monkeypatch.setenv("AWS_REGION", credentials["region"])
        monkeypatch.setenv(GRAPHQL_URL_VARIABLE, local_stack.graphql_url)
        publish._credentials.cache_clear()  # read once per environment, as on Lambda: this one just changed

    yield become
    publish._credentials.cache_clear()


def test_a_publish_the_api_refuses_fails_the_consumers_work(
    host: Api, consumer_environment: Callable[..., None]
) -> None:
    """PublishFailed fails the stream record, so the event source mapping retries it."""
    event = host.create_event()
    consumer_environment(secretAccessKey="rotated-away")
    with pytest.raises(publish.PublishFailed, match=r"HTTP 403.*InvalidSignatureException"):
        publish.publish_event_changed(event["id"])
    consumer_environment()
    assert publish.publish_event_changed("no-such-event") is None


async def test_a_subscriber_receives_the_consumers_publish(
    local_stack: RunningStack,
    host: Api,
    open_subscriptions: OpenSubscriptions,
    consumer_environment: Callable[..., None],
) -> None:
    """The consumer's own publish code, in the consumer's environment, reaches an API-key subscriber."""
    event = await asyncio.to_thread(host.create_event)
    consumer_environment()
    host_name = urlparse(local_stack.graphql_url).netloc
    auth = AppSyncApiKeyAuthentication(host=host_name, api_key=local_stack.api_key)
    url = local_stack.base_url.replace("http://", "ws://") + "/graphql/realtime"
    async with Client(transport=AppSyncWebsocketsTransport(url=url, auth=auth)) as session:
        stream = session.subscribe(GraphQLRequest(ON_EVENT, variable_values={"id": event["id"]}))
        first = asyncio.ensure_future(anext(stream))
        assert await asyncio.to_thread(open_subscriptions.wait_for, 1, RECEIVE_TIMEOUT)
        published = await asyncio.to_thread(publish.publish_event_changed, event["id"])
        received = await asyncio.wait_for(first, RECEIVE_TIMEOUT)
        await stream.aclose()
    assert published is not None
    assert published["id"] == event["id"]
    assert received["onEventChanged"] == {"id": event["id"], "title": event["title"], "attendeeCount": 0}


async def test_a_page_watching_an_event_sees_the_consumers_promotion(
    local_stack: RunningStack,
    host: Api,
    api_as: Callable[[str | None], Api],
    open_subscriptions: OpenSubscriptions,
) -> None:
    """A seat given back goes to the first in line by the stream consumer, not by the mutation: the subscriber hears
    the cancellation (from cancelRsvp), then the promotion (the consumer's publishEventChanged, signed with IAM)."""
    event = await asyncio.to_thread(host.create_event, capacity=1)
    suffix = uuid.uuid4().hex[:6]
    holder, waiting = api_as(f"holder-{suffix}"), api_as(f"waiting-{suffix}")
    await asyncio.to_thread(holder.run, "mutation($id: ID!) { rsvp(eventId: $id) { id } }", id=event["id"])
    await asyncio.to_thread(waiting.run, "mutation($id: ID!) { joinWaitlist(eventId: $id) { id } }", id=event["id"])
    publishes_before = _publishes(local_stack)
    auth = AppSyncApiKeyAuthentication(host=urlparse(local_stack.graphql_url).netloc, api_key=local_stack.api_key)
    url = local_stack.base_url.replace("http://", "ws://") + "/graphql/realtime"
    counts = "subscription($id: ID!) { onEventChanged(id: $id) { id attendeeCount waitlistCount } }"
    async with Client(transport=AppSyncWebsocketsTransport(url=url, auth=auth)) as session:
        stream = session.subscribe(GraphQLRequest(counts, variable_values={"id": event["id"]}))
        first = asyncio.ensure_future(anext(stream))
        assert await asyncio.to_thread(open_subscriptions.wait_for, 1, RECEIVE_TIMEOUT)
        cancel = "mutation($id: ID!) { cancelRsvp(eventId: $id) { id attendeeCount waitlistCount } }"
        await asyncio.to_thread(holder.run, cancel, id=event["id"])
        cancelled = await asyncio.wait_for(first, RECEIVE_TIMEOUT)
        promoted = await asyncio.wait_for(anext(stream), PROMOTION_TIMEOUT)
        await stream.aclose()
    assert cancelled["onEventChanged"] == {"id": event["id"], "attendeeCount": 0, "waitlistCount": 1}
    assert promoted["onEventChanged"] == {"id": event["id"], "attendeeCount": 1, "waitlistCount": 0}
    assert _publishes(local_stack) > publishes_before, "the consumer's publish"
    standing = await asyncio.to_thread(waiting.run, "query($id: ID!) { getEvent(id: $id) { hasSeat } }", id=event["id"])
    assert standing == {"getEvent": {"hasSeat": True}}


def _publishes(stack: RunningStack) -> int:
    """publishEventChanged requests the mirror answered without errors (its console's record of each request)."""
    return sum(1 for r in stack.requests if r.operation_name == "PublishEventChanged" and not r.error_types)
