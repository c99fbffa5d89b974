"""The HTTP surface as AppSync's and CloudFront's: CORS for any origin, request ids, 401s that name their error
type, and the SPA's files compressed."""

from __future__ import annotations

import pytest

from mirror.app import CLOUDFRONT_MIN_COMPRESSED, SPA_DIR
from tests.conftest import RunningStack

OTHER_ORIGIN = "http://127.0.0.1:5173"
QUERY = {"query": "{ listEvents(limit: 1) { nextToken } }"}


def test_a_preflight_from_any_origin_is_answered_with_appsyncs_methods_and_headers(local_stack: RunningStack) -> None:
    response = local_stack.http.options(
        local_stack.graphql_url,
        headers={
            "Origin": OTHER_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type,x-api-key,authorization,x-amz-user-agent,x-amz-foo",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"].split(", ")
    allowed = response.headers["access-control-allow-headers"].split(", ")
    assert {"content-type", "x-api-key", "authorization", "x-amz-user-agent", "x-amz-foo"} <= set(allowed)


@pytest.mark.parametrize("credential", ["good", "wrong"])
def test_responses_let_any_origin_read_them_and_carry_a_request_id(local_stack: RunningStack, credential: str) -> None:
    key = local_stack.api_key if credential == "good" else "da2-wrong"
    responses = [
        local_stack.http.post(local_stack.graphql_url, json=QUERY, headers={"x-api-key": key, "Origin": OTHER_ORIGIN})
        for _ in range(2)
    ]
    for response in responses:
        assert response.headers["access-control-allow-origin"] == "*"
        exposed = {name.lower() for name in response.headers["access-control-expose-headers"].split(", ")}
        assert {"x-amzn-requestid", "x-amzn-errortype"} <= exposed
    assert responses[0].headers["x-amzn-RequestId"] != responses[1].headers["x-amzn-RequestId"]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"x-api-key": "da2-wrong"}, id="wrong-key"),
        pytest.param({}, id="no-credential"),
        pytest.param({"Authorization": "not-a-jwt"}, id="bad-token"),
    ],
)
def test_a_refused_request_is_appsyncs_401(local_stack: RunningStack, headers: dict[str, str]) -> None:
    response = local_stack.http.post(local_stack.graphql_url, json=QUERY, headers=headers)
    assert response.status_code == 401
    assert response.headers["x-amzn-ErrorType"] == "UnauthorizedException"
    assert response.headers["x-amzn-RequestId"]
    assert response.json() == {
        "errors": [{"errorType": "UnauthorizedException", "message": "You are not authorized to make this call."}]
    }


def test_the_spa_is_sent_compressed_as_cloudfront_sends_it(local_stack: RunningStack) -> None:
    """From 1,000 bytes up, gzip when the browser accepts it; smaller files and other clients get them as they are."""
    event_view = (SPA_DIR / "views" / "event.js").read_bytes()
    compressed = local_stack.http.get(f"{local_stack.base_url}/views/event.js", headers={"accept-encoding": "gzip"})
    assert compressed.headers["content-encoding"] == "gzip"
    assert int(compressed.headers["content-length"]) < len(event_view) / 2
    assert compressed.content == event_view

    plain = local_stack.http.get(f"{local_stack.base_url}/views/event.js", headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == event_view

    small = SPA_DIR / "config.js"
    assert small.stat().st_size < CLOUDFRONT_MIN_COMPRESSED
    as_is = local_stack.http.get(f"{local_stack.base_url}/config.js", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in as_is.headers
    assert as_is.content == small.read_bytes()


def test_robots_txt_is_a_file_and_other_paths_fall_back_to_the_spa(local_stack: RunningStack) -> None:
    """A path with a file behind it gets the file (crawlers read /robots.txt as plain text); any other path is a
    client-side route and gets index.html, as CloudFront's error responses give it (cdk_app/spa_hosting.py)."""
    robots = local_stack.http.get(f"{local_stack.base_url}/robots.txt")
    assert robots.status_code == 200
    assert robots.headers["content-type"].startswith("text/plain")
    assert robots.content == (SPA_DIR / "robots.txt").read_bytes()
    assert b"User-agent: *" in robots.content

    route = local_stack.http.get(f"{local_stack.base_url}/events/some-event-id")
    assert route.status_code == 200
    assert route.headers["content-type"].startswith("text/html")
    assert route.content == (SPA_DIR / "index.html").read_bytes()
