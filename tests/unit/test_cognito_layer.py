"""The layer around moto's Cognito: handlers run in order before moto, everything else reaches moto as sent."""

from __future__ import annotations

import json
from typing import Any

from moto import mock_aws
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.test import Client

from local_stack.cognito.layer import TARGET_PREFIX, CognitoCall, CognitoLayer, CognitoReply, Forward, Handler


def _post(client: Client, action: str, body: Any, **headers: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    response = client.post(
        "/",
        data=body if isinstance(body, str) else json.dumps(body),
        headers={
            "X-Amz-Target": TARGET_PREFIX + action,
            "Content-Type": "application/x-amz-json-1.1",
            "Authorization": "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/cognito-idp/aws4_request",
            **headers,
        },
    )
    return response.status_code, json.loads(response.data or b"{}"), dict(response.headers)


def _layer(handlers: list[tuple[str, Handler]]) -> Client:
    return Client(CognitoLayer(DomainDispatcherApplication(create_backend_app), handlers))


@mock_aws
def test_actions_without_handlers_reach_moto_unchanged() -> None:
    client = _layer([])
    status, body, _ = _post(client, "CreateUserPool", {"PoolName": "layer-test"})
    assert status == 200
    assert body["UserPool"]["Name"] == "layer-test"
    status, body, _ = _post(client, "ListUserPools", {"MaxResults": 10})
    assert [pool["Name"] for pool in body["UserPools"]] == ["layer-test"]


@mock_aws
def test_handlers_chain_in_order_and_may_rewrite_the_call_and_the_reply() -> None:
    seen: list[str] = []

    def rename(call: CognitoCall, forward: Forward) -> CognitoReply:
        seen.append("rename")
        return forward(call.with_body(PoolName="renamed-by-first"))

    def annotate(call: CognitoCall, forward: Forward) -> CognitoReply:
        seen.append(f"annotate saw {call.body['PoolName']}")
        reply = forward(call)
        return reply.with_body(Annotated=True)

    status, body, _ = _post(
        _layer([("CreateUserPool", rename), ("CreateUserPool", annotate)]), "CreateUserPool", {"PoolName": "sent"}
    )
    assert status == 200
    assert seen == ["rename", "annotate saw renamed-by-first"]
    assert body["UserPool"]["Name"] == "renamed-by-first"
    assert body["Annotated"] is True


@mock_aws
def test_a_handler_answers_with_cognitos_error_shape_and_cors_for_browsers() -> None:
    def refuse(call: CognitoCall, _: Forward) -> CognitoReply:
        return CognitoReply.error("NotAuthorizedException", "No.")

    status, body, headers = _post(
        _layer([("InitiateAuth", refuse)]), "InitiateAuth", {"ClientId": "x"}, Origin="http://127.0.0.1:5173"
    )
    assert status == 400
    assert body == {"__type": "NotAuthorizedException", "message": "No."}
    assert headers["x-amzn-ErrorType"] == "NotAuthorizedException"
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    assert headers["x-amzn-RequestId"]
    assert headers["Access-Control-Allow-Origin"] == "*"


@mock_aws
def test_a_body_that_is_not_a_json_object_is_refused_before_any_handler() -> None:
    called: list[CognitoCall] = []

    def record(call: CognitoCall, forward: Forward) -> CognitoReply:
        called.append(call)
        return forward(call)

    status, body, _ = _post(_layer([("InitiateAuth", record)]), "InitiateAuth", "[1, 2")
    assert status == 400
    assert body["__type"] == "SerializationException"
    assert called == []
