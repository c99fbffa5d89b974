"""`gather dev` as a user runs it: a real process, its stack.json, its URLs, Ctrl-C, and a restart."""

from __future__ import annotations

import json
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import httpx

from dev_support.processes import process_tree
from local_stack.dynamodb_local import DynamoDBLocal, free_loopback_port
from local_stack.processes import wait_for_exit
from tests.integration.dev_process import READY, DevProcess
from tests.integration.signing import signed_with

UPCOMING = "{ listEvents(limit: 10) { items { id title host { displayName } } } }"
PUBLISH = "mutation($id: ID!) { publishEventChanged(eventId: $id) { id } }"


@contextmanager
def gather_dev(*arguments: str) -> Iterator[tuple[dict[str, Any], DevProcess, list[int]]]:
    """Runs `gather dev` until it says it is ready; yields stack.json, the process and its process tree.

    Leaving the block presses Ctrl-C, which must stop every part quietly: one line each, no traceback."""
    dev = DevProcess(*arguments)
    try:
        dev.wait_for(READY)
        data_dir = Path(arguments[arguments.index("--data-dir") + 1])
        stack = json.loads((data_dir / "stack.json").read_text())
        yield stack, dev, process_tree(dev.process.pid)
    finally:
        status = dev.stop()
    assert status == 0, dev.printed
    shutdown = dev.printed.split(READY, 1)[1]
    assert "Traceback" not in shutdown, shutdown
    assert "Stopped the mirror and its Lambda environments" in shutdown
    assert "Stopped the local Cognito" in shutdown
    assert dev.output[-1] == "Stopped.\n"


def _upcoming(stack: dict[str, Any]) -> list[dict[str, Any]]:
    response = httpx.post(stack["graphqlUrl"], json={"query": UPCOMING}, headers={"x-api-key": stack["apiKey"]})
    assert response.status_code == 200
    items: list[dict[str, Any]] = response.json()["data"]["listEvents"]["items"]
    return items


def test_gather_dev_serves_demo_data_stops_cleanly_and_keeps_data(tmp_path: Path) -> None:
    data_dir = str(tmp_path / "data")
    port = str(free_loopback_port())
    with gather_dev("--port", port, "--data-dir", data_dir) as (stack, dev, processes):
        printed = dev.printed
        assert "Starting DynamoDB Local" in printed
        assert stack["apiKey"] in printed
        assert stack["graphqlUrl"] == f"http://127.0.0.1:{port}/graphql"
        events = _upcoming(stack)
        assert {"Python meetup: type hints in practice", "Community garden work day"} <= {e["title"] for e in events}
        assert all(event["host"]["displayName"] for event in events)
        # The consumer's IAM-only mutation answers a request signed with the credentials stack.json names for it.
        publish = {"query": PUBLISH, "variables": {"id": events[0]["id"]}}
        signed = httpx.post(stack["graphqlUrl"], json=publish, auth=signed_with(stack["streamConsumer"]))
        assert signed.json() == {"data": {"publishEventChanged": {"id": events[0]["id"]}}}
        forged = signed_with({**stack["streamConsumer"], "secretAccessKey": "guessed"})
        assert httpx.post(stack["graphqlUrl"], json=publish, auth=forged).status_code == 403
        with_key = httpx.post(stack["graphqlUrl"], json=publish, headers={"x-api-key": stack["apiKey"]}).json()
        assert [error["errorType"] for error in with_key["errors"]] == ["Unauthorized"]
        playground = httpx.get(stack["graphqlUrl"])
        assert playground.status_code == 200
        assert "graphiql" in playground.text
        asset = httpx.get(f"{stack['baseUrl']}/playground/assets/graphiql.min.js")
        assert asset.status_code == 200
        assert len(asset.content) > 100_000
        config = httpx.get(f"{stack['baseUrl']}/config.json").json()
        assert config["apiKey"] == stack["apiKey"]
        first_ids = sorted(event["id"] for event in events)
        ca = Path(stack["tls"]["caCertificate"])
        assert ca.parent == Path(data_dir).resolve() / "tls"
        trusting = ssl.create_default_context(cafile=ca)
        headers = {"x-api-key": stack["apiKey"]}
        over_tls = httpx.post(stack["tls"]["graphqlUrl"], json={"query": UPCOMING}, headers=headers, verify=trusting)
        assert sorted(event["id"] for event in over_tls.json()["data"]["listEvents"]["items"]) == first_ids
        assert "(admin)" in printed
        # A stranger signs up: the code Cognito would email is printed on the console and kept in the outbox.
        assert stack["cognitoOutbox"] in printed
        assert stack["auth"]["cognitoEndpoint"].startswith("http://127.0.0.1:")
        cognito = boto3.client(
            "cognito-idp",
            endpoint_url=stack["auth"]["cognitoEndpoint"],
            region_name=stack["auth"]["userPoolId"].split("_", 1)[0],
            aws_access_key_id="any",
            aws_secret_access_key="any",
        )
        cognito.sign_up(
            ClientId=stack["auth"]["userPoolClientId"],
            Username="newcomer",
            Password="Newcomer-Passw0rd!",
            UserAttributes=[{"Name": "email", "Value": "newcomer@example.org"}],
        )
        line = dev.wait_for("Your Gather confirmation code is")
        code = line.rsplit(" ", 1)[1].strip()
        emails = [json.loads(entry) for entry in Path(stack["cognitoOutbox"]).read_text().splitlines()]
        assert [(email["username"], email["code"]) for email in emails] == [("newcomer", code)]
    # The console told the story of each request: operation, type, the Lambda invocations with batch sizes.
    request_lines = [line for line in dev.printed.splitlines() if "query (anonymous)" in line]
    assert any("Query.listEvents" in line and "Event.host[batch of" in line for line in request_lines), dev.printed
    left_running = [pid for pid in processes if not wait_for_exit(pid, 10.0)]
    assert left_running == [], "gather dev left processes running"
    assert oct((Path(data_dir) / "stack.json").stat().st_mode)[-3:] == "600"

    assert oct((Path(data_dir) / "tls" / "ca-key.pem").stat().st_mode)[-3:] == "600"

    with gather_dev("--port", port, "--data-dir", data_dir) as (again, dev, _):
        assert "Seeded" not in dev.printed
        assert again["apiKey"] == stack["apiKey"]
        assert Path(again["tls"]["caCertificate"]).read_bytes() == ca.read_bytes(), "one CA per data dir"
        assert sorted(event["id"] for event in _upcoming(again)) == first_ids

    with gather_dev("--port", port, "--data-dir", data_dir, "--fresh") as (fresh, dev, _):
        assert "Seeded" in dev.printed
        assert not set(first_ids) & {event["id"] for event in _upcoming(fresh)}


def test_gather_dev_uses_a_running_dynamodb_and_creates_its_table(tmp_path: Path) -> None:
    with DynamoDBLocal() as shared:
        client = boto3.client("dynamodb", endpoint_url=shared.endpoint, region_name="us-east-1")
        assert "shared-gather" not in client.list_tables()["TableNames"]
        arguments = ("--port", str(free_loopback_port()), "--data-dir", str(tmp_path), "--api-key", "da2-given")
        with gather_dev(*arguments, "--dynamodb-endpoint", shared.endpoint, "--table-name", "shared-gather") as (
            stack,
            dev,
            _,
        ):
            assert f"Using DynamoDB at {shared.endpoint}" in dev.printed
            assert stack["apiKey"] == "da2-given"
            assert _upcoming(stack)
        assert "shared-gather" in client.list_tables()["TableNames"]
        assert shared.running, "gather dev must not stop a DynamoDB it did not start"


def test_gather_dev_names_the_flag_when_its_port_is_taken_before_starting_anything(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        dev = DevProcess("--port", str(port), "--data-dir", str(tmp_path))
        status = dev.wait_for_end()
    assert status == 2
    assert f"Cannot listen on 127.0.0.1:{port}" in dev.printed
    assert "--port" in dev.printed
    assert "Traceback" not in dev.printed
    assert "Starting DynamoDB Local" not in dev.printed


def test_gather_dev_exits_with_the_reason_when_its_dynamodb_does_not_answer(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{closed.getsockname()[1]}"  # bound, never listening: connections are refused
        dev = DevProcess("--port", "0", "--data-dir", str(tmp_path), "--dynamodb-endpoint", endpoint)
        status = dev.wait_for_end()
    assert status == 1
    assert f'Could not start the local stack: Could not connect to the endpoint URL: "{endpoint}/"' in dev.printed
    assert "Traceback" not in dev.printed
