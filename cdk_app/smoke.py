"""Smoke test for a *deployed* Gather stack: a few real requests against AWS, read-only.

    npx cdk deploy -c stage=dev --outputs-file cdk-outputs.json
    python3 -m cdk_app.smoke --outputs cdk-outputs.json

It reads the stack outputs, checks that the SPA answers with its security headers, serves a config.json that
matches the outputs and falls back to index.html for client-side routes, then runs listEvents and getEvent
through AppSync with the public API key (plain HTTPS POSTs, so it needs nothing beyond the CDK app's own
dependencies), and checks that a request without a key is refused. It needs a deployed stack and the
internet, so it never runs in tests or CI (it refuses when CI is set).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from spa_contract.csp import content_security_policy

REQUIRED_OUTPUTS = ("GraphqlUrl", "RealtimeUrl", "SpaUrl", "UserPoolId", "UserPoolClientId", "ApiKey", "Region")

LIST_EVENTS = """
query SmokeListEvents($limit: Int) {
  listEvents(limit: $limit) { items { id title startsAt host { displayName } } nextToken }
}
"""
GET_EVENT = """
query SmokeGetEvent($id: ID!) {
  getEvent(id: $id) { id title capacity attendeeCount comments(limit: 3) { items { id author { displayName } } } }
}
"""


class SmokeFailure(Exception):
    """A check against the deployed stack did not hold."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)
    print(f"  ok  {message}")


def load_outputs(path: Path, stack: str | None) -> dict[str, str]:
    """The outputs `cdk deploy --outputs-file` wrote: {stack name: {output name: value}}."""
    stacks: dict[str, dict[str, str]] = json.loads(path.read_text())
    if stack is None:
        if len(stacks) != 1:
            raise SmokeFailure(f"{path} holds stacks {sorted(stacks)}; name one with --stack")
        stack = next(iter(stacks))
    if stack not in stacks:
        raise SmokeFailure(f"{path} has no outputs for {stack}")
    outputs = stacks[stack]
    missing = [name for name in REQUIRED_OUTPUTS if name not in outputs]
    if missing:
        raise SmokeFailure(f"{stack} outputs lack {missing}; is it a Gather stack?")
    print(f"Smoke-testing {stack} ({outputs['Region']})")
    return outputs


def fetch(
    url: str, payload: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """GET (or POST JSON payload) over HTTPS; returns status, lower-cased headers and body, errors included."""
    if not url.startswith("https://"):
        raise SmokeFailure(f"refusing a non-HTTPS URL: {url}")
    sent = {} if payload is None else {"content-type": "application/json"}
    request = urllib.request.Request(  # noqa: S310 - https only, checked above
        url,
        data=None if payload is None else json.dumps(payload).encode(),
        headers={**sent, **(headers or {})},
        method="GET" if payload is None else "POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, received, body = error.code, error.headers, error.read()
    else:
        received = response.headers
    return status, {name.lower(): value for name, value in received.items()}, body


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def check_spa(outputs: Mapping[str, str]) -> None:
    spa = outputs["SpaUrl"].rstrip("/")
    status, headers, body = fetch(f"{spa}/config.json")
    check(status == 200, "config.json is deployed")
    config = json.loads(body)
    check(config.get("graphqlUrl") == outputs["GraphqlUrl"], "config.json names the GraphQL URL")
    check(config.get("realtimeUrl") == outputs["RealtimeUrl"], "config.json names the real-time URL")
    check(config.get("apiKey") == outputs["ApiKey"], "config.json carries the public API key")
    auth = config.get("auth") or {}
    check(
        auth.get("userPoolId") == outputs["UserPoolId"] and auth.get("userPoolClientId") == outputs["UserPoolClientId"],
        "config.json names the user pool and its client",
    )

    status, headers, body = fetch(f"{spa}/")
    check(status == 200 and b"<html" in body.lower(), f"{spa}/ serves index.html")
    expected = content_security_policy(
        api_origin=origin(outputs["GraphqlUrl"]),
        realtime_origin=origin(outputs["RealtimeUrl"]),
        cognito_endpoint=str(auth.get("cognitoEndpoint")),
    )
    check(headers.get("content-security-policy") == expected, "the SPA gets the Content-Security-Policy built for it")
    check("max-age=" in headers.get("strict-transport-security", ""), "the SPA sends HSTS")
    check(headers.get("x-content-type-options") == "nosniff", "the SPA sends X-Content-Type-Options")
    check("no-store" in headers.get("cache-control", ""), "index.html is not cached")

    status, _, body = fetch(f"{spa}/events/smoke-test-route")
    check(status == 200 and b"<html" in body.lower(), "client-side routes fall back to index.html")


def graphql(outputs: Mapping[str, str], query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
    """One request with the public API key; the data, or a SmokeFailure naming the errors."""
    payload = {"query": query, "variables": dict(variables)}
    status, _, body = fetch(outputs["GraphqlUrl"], payload, {"x-api-key": outputs["ApiKey"]})
    answer = json.loads(body)
    if status != 200 or answer.get("errors"):
        raise SmokeFailure(f"AppSync answered {status}: {answer.get('errors')}")
    data: dict[str, Any] = answer["data"]
    return data


def check_api(outputs: Mapping[str, str]) -> None:
    listed = graphql(outputs, LIST_EVENTS, {"limit": 5})
    items = listed["listEvents"]["items"]
    check(isinstance(items, list), f"listEvents answers with the API key ({len(items)} upcoming events)")
    wanted = items[0]["id"] if items else "smoke-test-no-such-event"
    got = graphql(outputs, GET_EVENT, {"id": wanted})
    if items:
        check(got["getEvent"] is not None and got["getEvent"]["id"] == wanted, f"getEvent finds event {wanted}")
    else:
        check(got["getEvent"] is None, "getEvent answers null for an event that does not exist")

    status, _, body = fetch(outputs["GraphqlUrl"], {"query": "{ listEvents { nextToken } }"})
    check(status == 401 and b"UnauthorizedException" in body, "a request without a key is refused (401)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Smoke-test a deployed Gather stack (read-only requests).")
    parser.add_argument("--outputs", type=Path, default=Path("cdk-outputs.json"), help="cdk deploy --outputs-file")
    parser.add_argument("--stack", help="stack name in the outputs file (default: the only one)")
    args = parser.parse_args(argv)
    if os.environ.get("CI"):
        print("The smoke test talks to a deployed stack; it does not run in CI.", file=sys.stderr)
        return 2
    try:
        outputs = load_outputs(args.outputs, args.stack)
        check_spa(outputs)
        check_api(outputs)
    except Exception as error:  # any failure (HTTP, GraphQL, a check) fails the smoke test, saying what went wrong
        print(f"FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print("Smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
