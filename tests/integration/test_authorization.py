"""Who may do what, over HTTP against the mirror, with real tokens from the local Cognito user pool."""

from __future__ import annotations

import gzip
import json
import time
import uuid
from collections.abc import Callable
from importlib import resources
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from graphql import GraphQLSchema

from mirror.appsync_sdl import appsync_schema, served_schema
from mirror.authorization import API_KEY, COGNITO, IAM, auth_rules
from resolvers.api_settings import CONSUMER_PUBLISH_FIELD
from resolvers.identity import ADMINS_GROUP
from tests.conftest import RunningStack
from tests.integration.conftest import event_input

UNAUTHORIZED_401 = {
    "errors": [{"errorType": "UnauthorizedException", "message": "You are not authorized to make this call."}]
}

# Each operation builds its document and variables from the fixture's ids.
Operation = Callable[[dict[str, str]], tuple[str, dict[str, Any]]]
OPERATIONS: dict[str, Operation] = {
    "getEvent": lambda ids: ("query($id: ID!) { getEvent(id: $id) { id } }", {"id": ids["event"]}),
    "listEvents": lambda ids: ("{ listEvents(limit: 1) { items { id } } }", {}),
    "me": lambda ids: ("{ me { id displayName } }", {}),
    "createEvent": lambda ids: (
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }",
        {"input": event_input()},
    ),
    "updateEvent": lambda ids: (
        "mutation($input: UpdateEventInput!) { updateEvent(input: $input) { id version } }",
        {"input": {"id": ids["event"], "expectedVersion": 1, "title": "Edited"}},
    ),
    "deleteEvent": lambda ids: ("mutation($id: ID!) { deleteEvent(id: $id) { id } }", {"id": ids["event"]}),
    "rsvp": lambda ids: ("mutation($id: ID!) { rsvp(eventId: $id) { id } }", {"id": ids["event"]}),
    "cancelRsvp": lambda ids: ("mutation($id: ID!) { cancelRsvp(eventId: $id) { id } }", {"id": ids["full_event"]}),
    "commentOnEvent": lambda ids: (
        'mutation($id: ID!) { commentOnEvent(eventId: $id, content: "hi") { id } }',
        {"id": ids["event"]},
    ),
    "deleteComment": lambda ids: (
        "mutation($e: ID!, $c: ID!) { deleteComment(eventId: $e, id: $c) { id } }",
        {"e": ids["event"], "c": ids["comment"]},
    ),
    "joinWaitlist": lambda ids: (
        "mutation($id: ID!) { joinWaitlist(eventId: $id) { id waitlistCount waitlistPosition } }",
        {"id": ids["line_event"]},
    ),
    "leaveWaitlist": lambda ids: (
        "mutation($id: ID!) { leaveWaitlist(eventId: $id) { id waitlistCount } }",
        {"id": ids["line_event"]},
    ),
    "myRsvps": lambda ids: ("{ myRsvps { items { id hasSeat waitlistPosition } } }", {}),
    "setDisplayName": lambda ids: ('mutation { setDisplayName(displayName: "Renamed") { id displayName } }', {}),
    "publishEventChanged": lambda ids: (
        "mutation($id: ID!) { publishEventChanged(eventId: $id) { id } }",
        {"id": ids["event"]},
    ),
}

ALLOW = "allow"
DENY = "Unauthorized"  # the directive's refusal, or the resolver's ownership rule: one errorType for clients
# Callers: the host of the event, another signed-in user, an admin, the API key alone, and nothing.
# The comment is written by the host's guest ("another" user) on the host's event. The waitlist's event is full
# with another's seat, and for leaveWaitlist the host waits in its line.
MATRIX: dict[str, dict[str, str]] = {
    "getEvent": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": ALLOW},
    "listEvents": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": ALLOW},
    "me": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": DENY},
    "createEvent": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": DENY},
    "updateEvent": {"host": ALLOW, "another": DENY, "admin": ALLOW, "api_key": DENY},
    "deleteEvent": {"host": ALLOW, "another": DENY, "admin": ALLOW, "api_key": DENY},
    "rsvp": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": DENY},
    "cancelRsvp": {"host": ALLOW, "another": "NotRsvped", "admin": "NotRsvped", "api_key": DENY},
    "joinWaitlist": {"host": ALLOW, "another": "AlreadyAttending", "admin": ALLOW, "api_key": DENY},
    "leaveWaitlist": {"host": ALLOW, "another": "NotWaiting", "admin": "NotWaiting", "api_key": DENY},
    "commentOnEvent": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": DENY},
    "deleteComment": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": DENY},
    "myRsvps": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": DENY},
    "setDisplayName": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": DENY},
    # The stream consumer's, signed with IAM (tests/integration/test_iam_publish.py): nobody here may call it.
    "publishEventChanged": {"host": DENY, "another": DENY, "admin": DENY, "api_key": DENY},
}
# Subscriptions are opened over the real-time endpoint (tests/integration/test_realtime.py); their rows here say
# which auth modes may open them, and are checked against the directives below.
SUBSCRIPTIONS: dict[str, dict[str, str]] = {
    "onCommentAdded": {"signed_in": ALLOW, "api_key": ALLOW},
    "onCommentDeleted": {"signed_in": ALLOW, "api_key": ALLOW},
    "onEventChanged": {"signed_in": ALLOW, "api_key": ALLOW},
}


def root_fields(*roots: str, schema: GraphQLSchema | None = None) -> list[str]:
    """Every field of those root types in schema.graphql: a field added there needs its row here."""
    schema = schema or served_schema()
    types = {"Query": schema.query_type, "Mutation": schema.mutation_type, "Subscription": schema.subscription_type}
    return [name for root in roots if (graphql_type := types[root]) is not None for name in graphql_type.fields]


def fields_without_rows(schema: GraphQLSchema | None = None) -> list[str]:
    """Root fields the matrix says nothing about (tests/test_extending.py shows a new field lands here)."""
    requests = [f for f in root_fields("Query", "Mutation", schema=schema) if f not in MATRIX or f not in OPERATIONS]
    return requests + [f for f in root_fields("Subscription", schema=schema) if f not in SUBSCRIPTIONS]


def test_every_root_field_has_a_row() -> None:
    assert fields_without_rows() == []
    assert sorted(MATRIX) == sorted(OPERATIONS) == sorted(root_fields("Query", "Mutation"))
    assert sorted(SUBSCRIPTIONS) == sorted(root_fields("Subscription"))


@pytest.mark.parametrize("operation", root_fields("Query", "Mutation", "Subscription"))
def test_the_rows_agree_with_the_schemas_directives(operation: str) -> None:
    """The API-key column is the directives' alone (no resolver runs for a refused mode), so it must match."""
    schema = appsync_schema()
    roots = (schema.query_type, schema.mutation_type, schema.subscription_type)
    root = next(graphql_type for graphql_type in roots if graphql_type and operation in graphql_type.fields)
    rule = auth_rules(schema).rule(root.name, operation)
    row = SUBSCRIPTIONS[operation] if operation in SUBSCRIPTIONS else MATRIX[operation]
    signed_in = row["signed_in"] if operation in SUBSCRIPTIONS else row["host"]
    assert rule.allows(API_KEY, ()) == (row["api_key"] == ALLOW)
    assert rule.allows(COGNITO, ()) == (signed_in == ALLOW)
    assert rule.allows(IAM, ()) == ((root.name, operation) == CONSUMER_PUBLISH_FIELD), "IAM: the consumer's field only"


@pytest.fixture(scope="module")
def people(local_stack: RunningStack) -> dict[str, str]:
    suffix = uuid.uuid4().hex[:6]
    names = {
        "host": f"host-{suffix}",
        "another": f"another-{suffix}",
        "admin": f"admin-{suffix}",
        "stranger": f"stranger-{suffix}",  # neither host, author nor admin, and never renamed
    }
    local_stack.id_token(names["admin"], (ADMINS_GROUP,))
    return names


def _headers(local_stack: RunningStack, people: dict[str, str], caller: str) -> dict[str, str]:
    if caller == "api_key":
        return local_stack.headers()
    if caller == "nothing":
        return {}
    return local_stack.headers(people[caller])


def _fresh_ids(local_stack: RunningStack, people: dict[str, str], operation: str = "") -> dict[str, str]:
    """A new event by the host, commented on by another user, and a full one the host holds a seat at; for the
    waitlist's operations, a full one another user holds the seat at (and the host waits for, to leave)."""

    def call(user: str, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = local_stack.graphql(document, variables, user=people[user])
        assert "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    create = "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }"
    event = call("host", create, {"input": event_input()})["createEvent"]["id"]
    comment = call(
        "another", 'mutation($id: ID!) { commentOnEvent(eventId: $id, content: "mine") { id } }', {"id": event}
    )["commentOnEvent"]["id"]
    full_event = call("host", create, {"input": event_input(capacity=1)})["createEvent"]["id"]
    call("host", "mutation($id: ID!) { rsvp(eventId: $id) { id } }", {"id": full_event})
    ids = {"event": event, "comment": comment, "full_event": full_event}
    if operation in ("joinWaitlist", "leaveWaitlist"):
        ids["line_event"] = call("host", create, {"input": event_input(capacity=1)})["createEvent"]["id"]
        call("another", "mutation($id: ID!) { rsvp(eventId: $id) { id } }", {"id": ids["line_event"]})
    if operation == "leaveWaitlist":
        call("host", "mutation($id: ID!) { joinWaitlist(eventId: $id) { id } }", {"id": ids["line_event"]})
    return ids


@pytest.mark.parametrize("operation", root_fields("Query", "Mutation"))
@pytest.mark.parametrize("caller", ["host", "another", "admin", "api_key", "nothing"])
def test_authorization_matrix(local_stack: RunningStack, people: dict[str, str], operation: str, caller: str) -> None:
    ids = _fresh_ids(local_stack, people, operation)
    document, variables = OPERATIONS[operation](ids)
    response = local_stack.http.post(
        local_stack.graphql_url,
        json={"query": document, "variables": variables},
        headers=_headers(local_stack, people, caller),
    )
    if caller == "nothing":
        assert response.status_code == 401
        assert response.json() == UNAUTHORIZED_401
        return
    body = response.json()
    expected = MATRIX[operation][caller]
    if expected == ALLOW:
        assert "errors" not in body, body
        assert body["data"][operation] is not None
    else:
        assert body["errors"][0]["errorType"] == expected, body
        assert body["errors"][0]["path"] == [operation]


def test_refusals_write_nothing(local_stack: RunningStack, people: dict[str, str]) -> None:
    ids = _fresh_ids(local_stack, people)
    for operation in ("updateEvent", "deleteEvent", "deleteComment"):
        document, variables = OPERATIONS[operation](ids)
        body = local_stack.graphql(
            document, variables, user=people["stranger" if operation == "deleteComment" else "another"]
        )
        assert body["errors"][0]["errorType"] == DENY
    event = local_stack.graphql(
        "query($id: ID!) { getEvent(id: $id) { title version comments { items { id } } } }", {"id": ids["event"]}
    )["data"]["getEvent"]
    assert event["version"] == 1
    assert [c["id"] for c in event["comments"]["items"]] == [ids["comment"]]


def test_me_is_the_verified_user(local_stack: RunningStack, people: dict[str, str]) -> None:
    me = local_stack.graphql("{ me { id displayName } }", user=people["stranger"])["data"]["me"]
    claims = jwt.decode(local_stack.id_token(people["stranger"]), options={"verify_signature": False})
    assert me == {"id": claims["sub"], "displayName": people["stranger"]}


def _each_callers_event(
    local_stack: RunningStack, people: dict[str, str], event_id: str, fields: str
) -> dict[str, dict[str, Any]]:
    """The event's ``fields`` as the host, another user and the API key each read them."""
    document = f"query($id: ID!) {{ getEvent(id: $id) {{ {fields} }} }}"
    return {
        caller: local_stack.http.post(
            local_stack.graphql_url,
            json={"query": document, "variables": {"id": event_id}},
            headers=_headers(local_stack, people, caller),
        ).json()
        for caller in ("host", "another", "api_key")
    }


def test_has_seat_is_the_callers_own_and_null_for_the_api_key(
    local_stack: RunningStack, people: dict[str, str]
) -> None:
    ids = _fresh_ids(local_stack, people)  # the host holds the one seat of the full event
    answers = _each_callers_event(local_stack, people, ids["full_event"], "hasSeat")
    assert answers == {
        "host": {"data": {"getEvent": {"hasSeat": True}}},
        "another": {"data": {"getEvent": {"hasSeat": False}}},
        "api_key": {"data": {"getEvent": {"hasSeat": None}}},
    }


def test_waitlist_position_is_the_callers_own_and_null_for_the_api_key(
    local_stack: RunningStack, people: dict[str, str]
) -> None:
    ids = _fresh_ids(local_stack, people, "leaveWaitlist")  # another holds the one seat, the host waits for it
    answers = _each_callers_event(local_stack, people, ids["line_event"], "hasSeat waitlistCount waitlistPosition")
    assert answers == {
        "host": {"data": {"getEvent": {"hasSeat": False, "waitlistCount": 1, "waitlistPosition": 1}}},
        "another": {"data": {"getEvent": {"hasSeat": True, "waitlistCount": 1, "waitlistPosition": None}}},
        "api_key": {"data": {"getEvent": {"hasSeat": None, "waitlistCount": 1, "waitlistPosition": None}}},
    }


def test_attendees_names_are_for_signed_in_callers_and_the_count_for_everyone(
    local_stack: RunningStack, people: dict[str, str]
) -> None:
    """Event.attendees carries @aws_cognito_user_pools on the field: the API key is refused it (and keeps the
    event and its attendeeCount); signed-in callers page through the names, several events in one batch."""
    event = local_stack.graphql(
        "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }",
        {"input": event_input(capacity=5)},
        user=people["host"],
    )["data"]["createEvent"]["id"]
    for who in ("host", "another", "stranger"):
        taken = local_stack.graphql("mutation($id: ID!) { rsvp(eventId: $id) { id } }", {"id": event}, people[who])
        assert "errors" not in taken, taken
    page = "attendees(limit: 2, nextToken: $token) { items { id displayName } nextToken }"
    document = f"query($id: ID!, $token: String) {{ getEvent(id: $id) {{ attendeeCount {page} }} }}"

    anonymous = local_stack.graphql(document, {"id": event})
    assert anonymous["data"] == {"getEvent": {"attendeeCount": 3, "attendees": None}}
    assert [(e["errorType"], e["path"]) for e in anonymous["errors"]] == [("Unauthorized", ["getEvent", "attendees"])]
    count_only = local_stack.graphql("query($id: ID!) { getEvent(id: $id) { attendeeCount } }", {"id": event})
    assert count_only == {"data": {"getEvent": {"attendeeCount": 3}}}

    names: list[str] = []
    token = None
    for _ in range(3):
        body = local_stack.graphql(document, {"id": event, "token": token}, user=people["another"])
        assert "errors" not in body, body
        attendees = body["data"]["getEvent"]["attendees"]
        names += [user["displayName"] for user in attendees["items"]]
        token = attendees["nextToken"]
        if token is None:
            break
    # Each attendee as they are named now (another test of this module may have renamed one).
    current = [
        local_stack.graphql("{ me { displayName } }", user=people[who])["data"]["me"]["displayName"]
        for who in ("host", "another", "stranger")
    ]
    assert sorted(names) == sorted(current)

    # In a list (a batch of events), on whichever page the session's shared stack lists this event.
    listing = (
        "query($token: String) { listEvents(limit: 100, nextToken: $token) "
        "{ items { id attendees(limit: 1) { items { id } } } nextToken } }"
    )
    token = None
    while True:
        listed = local_stack.graphql(listing, {"token": token}, user=people["host"])
        assert "errors" not in listed, listed
        page = listed["data"]["listEvents"]
        ours = [item for item in page["items"] if item["id"] == event]
        if ours or page["nextToken"] is None:
            break
        token = page["nextToken"]
    assert [len(item["attendees"]["items"]) for item in ours] == [1]


def test_identity_headers_a_client_sets_are_ignored(local_stack: RunningStack, people: dict[str, str]) -> None:
    """Only the verified token names the caller: the dev header of the first cut names nobody now.

    Another signed-in user sends the host's name in it: ``me`` stays the token's user, and the host's event stays
    out of reach (the directives allow both calls, so only the resolver's reading of the identity decides)."""
    ids = _fresh_ids(local_stack, people)
    headers = {**local_stack.headers(people["stranger"]), "x-gather-dev-user": people["host"]}
    me = local_stack.http.post(local_stack.graphql_url, json={"query": "{ me { id displayName } }"}, headers=headers)
    assert me.json()["data"]["me"]["displayName"] == people["stranger"]
    document, variables = OPERATIONS["updateEvent"](ids)
    body = local_stack.http.post(
        local_stack.graphql_url, json={"query": document, "variables": variables}, headers=headers
    ).json()
    assert body["errors"][0]["errorType"] == DENY


# Tokens ---------------------------------------------------------------------------------------------


def _moto_signing_key() -> Any:
    """The local pool signs with moto's bundled key; tests use it to mint tokens Cognito could have issued."""
    data = resources.files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz").read_bytes()
    return jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(json.loads(gzip.decompress(data))))


def _claims(local_stack: RunningStack, people: dict[str, str]) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(local_stack.id_token(people["host"]), options={"verify_signature": False})
    return claims


def _refused(local_stack: RunningStack, token: str) -> bool:
    response = httpx.post(local_stack.graphql_url, json={"query": "{ me { id } }"}, headers={"Authorization": token})
    return response.status_code == 401 and response.json() == UNAUTHORIZED_401


def test_a_token_minted_like_cognito_is_accepted(local_stack: RunningStack, people: dict[str, str]) -> None:
    """The control for the refusals below: the same minting with valid claims passes."""
    token = jwt.encode(_claims(local_stack, people), _moto_signing_key(), algorithm="RS256", headers={"kid": "dummy"})
    assert not _refused(local_stack, token)


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda c: {**c, "exp": int(time.time()) - 60, "iat": int(time.time()) - 3660}, id="expired"),
        pytest.param(lambda c: {**c, "aud": "another-app-client"}, id="another-client"),
        pytest.param(
            lambda c: {**c, "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"}, id="issuer"
        ),
        pytest.param(lambda c: {**c, "token_use": "refresh"}, id="token-use"),
    ],
)
def test_tokens_with_wrong_claims_are_refused(
    local_stack: RunningStack, people: dict[str, str], tamper: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    token = jwt.encode(
        tamper(_claims(local_stack, people)), _moto_signing_key(), algorithm="RS256", headers={"kid": "dummy"}
    )
    assert _refused(local_stack, token)


def test_token_signed_by_another_key_is_refused(local_stack: RunningStack, people: dict[str, str]) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(_claims(local_stack, people), stranger, algorithm="RS256", headers={"kid": "dummy"})
    assert _refused(local_stack, token)


def test_altered_token_is_refused(local_stack: RunningStack, people: dict[str, str]) -> None:
    header, payload, signature = local_stack.id_token(people["host"]).split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["cognito:groups"] = [ADMINS_GROUP]
    forged_payload = jwt.utils.base64url_encode(json.dumps(claims).encode()).decode()
    assert _refused(local_stack, f"{header}.{forged_payload}.{signature}")
    assert _refused(local_stack, "not-a-jwt")


def test_token_for_another_app_client_of_the_pool_is_refused(local_stack: RunningStack, people: dict[str, str]) -> None:
    cognito = local_stack.stack.cognito
    assert cognito.settings is not None
    other_client = cognito._client().create_user_pool_client(
        UserPoolId=cognito.settings.user_pool_id, ClientName="other", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    demo = cognito.users[0]
    token = cognito._client().initiate_auth(
        AuthFlow="USER_PASSWORD_AUTH",
        ClientId=other_client,
        AuthParameters={"USERNAME": demo.username, "PASSWORD": demo.password},
    )["AuthenticationResult"]["IdToken"]
    assert _refused(local_stack, token)
