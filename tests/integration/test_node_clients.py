"""AWS's own front-end clients against the test run's stack, configured as the README says and nothing else.

tests/node_clients/clients.mjs runs AWS Amplify JS v6 and Apollo Client 3 with aws-appsync-auth-link and
aws-appsync-subscription-link in Node (``ws`` as the global WebSocket), each at the URLs it derives
itself from the API URL: Amplify on the HTTPS endpoint (its real-time socket is always wss://), trusting
the stack's CA through NODE_EXTRA_CA_CERTS; Apollo on plain HTTP. It reports what each call gave the
application; these tests check each report.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunningStack
from tests.integration.conftest import event_input

NODE_CLIENTS = Path(__file__).resolve().parent.parent / "node_clients"
CREATE = "mutation($input: CreateEventInput!) { createEvent(input: $input) { id } }"


def _event(stack: RunningStack, host: str, capacity: int) -> str:
    body = stack.graphql(CREATE, {"input": event_input(capacity=capacity)}, user=host)
    assert "errors" not in body, body
    event_id: str = body["data"]["createEvent"]["id"]
    return event_id


@pytest.fixture(scope="module")
def clients(local_stack: RunningStack) -> dict[str, Any]:
    """One run of both clients: a user of the pool signs in with Amplify; a full event awaits an RSVP."""
    stack = local_stack.stack
    assert stack.tls is not None
    username, password = f"node-{secrets.token_hex(3)}", f"Node-{secrets.token_urlsafe(9)}-4x"
    stack.cognito.create_user(username, password)
    host = f"node-host-{secrets.token_hex(3)}"
    full_event = _event(local_stack, host, capacity=1)
    taken = local_stack.graphql("mutation($id: ID!) { rsvp(eventId: $id) { id } }", {"id": full_event}, user=host)
    assert "errors" not in taken, taken
    given = {
        "stack": stack.stack_file(),
        "username": username,
        "password": password,
        "eventId": _event(local_stack, host, capacity=10),
        "fullEventId": full_event,
    }
    environment = {
        **os.environ,
        "GATHER_CLIENTS_INPUT": json.dumps(given),
        "NODE_EXTRA_CA_CERTS": str(stack.tls.ca_certificate),
    }
    run = subprocess.run(
        ["node", "clients.mjs"],
        check=False,
        cwd=NODE_CLIENTS,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    report: dict[str, Any] = json.loads(run.stdout)
    report["given"] = given
    return report


@pytest.mark.parametrize("client", ["amplify", "apollo"])
def test_a_query_with_the_api_key(clients: dict[str, Any], client: str) -> None:
    items = clients[client]["query"]["ok"]["data"]["listEvents"]["items"]
    assert items
    assert all(item["id"] and item["title"] for item in items)


def test_amplify_signs_in_with_its_default_srp_flow(clients: dict[str, Any]) -> None:
    assert clients["amplify"]["signIn"] == {"ok": {"isSignedIn": True, "nextStep": {"signInStep": "DONE"}}}


@pytest.mark.parametrize("client", ["amplify", "apollo"])
def test_a_mutation_as_the_signed_in_user(clients: dict[str, Any], client: str) -> None:
    comment = clients[client]["mutation"]["ok"]["data"]["commentOnEvent"]
    assert comment["author"]["displayName"] == clients["given"]["username"]
    assert comment["eventId"] == clients["given"]["eventId"]


@pytest.mark.parametrize(("client", "other"), [("amplify", "apollo"), ("apollo", "amplify")])
def test_a_subscription_receives_the_comment_the_other_client_posted(
    clients: dict[str, Any], client: str, other: str
) -> None:
    exchange = clients[client]["subscription"]["ok"]
    assert exchange["received"]["id"] == exchange["posted"]["id"]
    assert exchange["received"]["content"] == f"From {other.capitalize()} to {client.capitalize()}"
    assert exchange["received"]["author"]["displayName"] == clients["given"]["username"]


def test_apollo_gets_typename_on_subscription_data_as_from_appsync(clients: dict[str, Any]) -> None:
    received = clients["apollo"]["subscription"]["ok"]["received"]
    assert received["__typename"] == "Comment"
    assert received["author"]["__typename"] == "User"


@pytest.mark.parametrize("client", ["amplify", "apollo"])
def test_event_full_surfaces_as_error_type(clients: dict[str, Any], client: str) -> None:
    errors = clients[client]["eventFull"]["error"]["errors"]
    assert [error["errorType"] for error in errors] == ["EventFull"]
    assert errors[0]["path"] == ["rsvp"]


def test_a_wrong_key_surfaces_as_unauthorized_exception_in_amplify(clients: dict[str, Any]) -> None:
    """Amplify names the error after the x-amzn-ErrorType header of AppSync's 401."""
    assert clients["amplify"]["wrongKey"]["error"]["originalErrorName"] == "UnauthorizedException"


def test_a_wrong_key_surfaces_as_unauthorized_exception_in_apollo(clients: dict[str, Any]) -> None:
    error = clients["apollo"]["wrongKey"]["error"]
    assert error["networkStatus"] == 401
    assert [e["errorType"] for e in error["networkErrors"]] == ["UnauthorizedException"]


def test_each_client_opens_the_real_time_url_it_derives_from_the_api_url(
    clients: dict[str, Any], local_stack: RunningStack
) -> None:
    stack = local_stack.stack
    assert set(clients["opened"]) == {
        stack.https_graphql_url.replace("https://", "wss://") + "/realtime",  # Amplify: always wss://
        stack.graphql_url.replace("http://", "ws://") + "/realtime",  # Apollo's link keeps ws:// for http://
    }


def test_amplify_signs_out_which_revokes_its_refresh_token(clients: dict[str, Any]) -> None:
    assert clients["amplify"]["signOut"] == {"ok": None}
