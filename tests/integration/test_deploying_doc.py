"""docs/deploying.md's path from deploy to a signed-in visitor and a first admin, run against the local pool.

The blocks marked ``<!-- cognito-path: NAME -->`` are read from the document itself and each
``aws cognito-idp`` command is sent as the CLI would send it: the operation and the parameters named by
Cognito's own service model (botocore's), shorthand values (``Name=email,Value=…`` and ``K=V,K2=V2``)
expanded as the CLI expands them, through boto3 with the endpoint overridden. Codes and temporary
passwords come from the outbox, where a person reads them too.
"""

from __future__ import annotations

import re
import shlex
import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import jwt
from botocore import xform_name

from local_stack.cognito.mail import read_outbox
from resolvers.identity import ADMINS_GROUP
from tests.conftest import RunningStack

DOC = Path(__file__).resolve().parents[2] / "docs" / "deploying.md"
Variables = dict[str, Callable[[], str]]


def doc_commands(name: str) -> list[list[str]]:
    """The commands of the ```sh block after the marker, continuation lines joined, split as a shell would."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(rf"<!-- cognito-path: {re.escape(name)} -->\s*```sh\n(.*?)```", text, re.DOTALL)
    assert found, f"docs/deploying.md has no block marked cognito-path: {name}"
    joined = found.group(1).replace("\\\n", " ")
    return [shlex.split(line) for line in joined.splitlines() if line.strip()]


def _shorthand_pairs(text: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in text.split(","))


def cli_call(client: Any, command: list[str], variables: Variables) -> dict[str, Any]:
    """One `aws cognito-idp <operation> --flag value …` through boto3, as the CLI maps it."""
    assert command[:2] == ["aws", "cognito-idp"], command
    model = client.meta.service_model
    operations = {xform_name(name).replace("_", "-"): name for name in model.operation_names}
    operation = model.operation_model(operations[command[2]])
    members = {
        xform_name(name).replace("_", "-"): (name, shape) for name, shape in operation.input_shape.members.items()
    }
    params: dict[str, Any] = {}
    flag = None
    for token in command[3:]:
        if token.startswith("--"):
            flag = token[2:]
            continue
        assert flag in members, f"{command[2]} has no --{flag}"
        template = string.Template(token)
        value = template.substitute({key: variables[key]() for key in template.get_identifiers()})
        name, shape = members[flag]
        if shape.type_name == "list":
            params.setdefault(name, []).append(_shorthand_pairs(value))
        elif shape.type_name == "map":
            params[name] = _shorthand_pairs(value)
        else:
            params[name] = value
    result: dict[str, Any] = getattr(client, xform_name(operation.name))(**params)
    return result


def test_the_documented_commands_sign_in_a_visitor_and_a_first_admin(local_stack: RunningStack) -> None:
    cognito = local_stack.stack.cognito
    assert cognito.settings is not None
    outbox = cognito.outbox_path
    assert outbox is not None
    client = boto3.client(
        "cognito-idp",
        endpoint_url=cognito.endpoint,
        region_name=cognito.settings.user_pool_id.split("_", 1)[0],
        aws_access_key_id="any",
        aws_secret_access_key="any",
    )
    answers: list[dict[str, Any]] = []

    def latest(username: str, purpose: str) -> str:
        return next(m.code for m in reversed(read_outbox(outbox)) if m.username == username and m.purpose == purpose)

    variables: Variables = {
        "POOL": lambda: cognito.settings.user_pool_id,  # type: ignore[union-attr]
        "CLIENT": lambda: cognito.settings.client_id,  # type: ignore[union-attr]
        "PASSWORD": lambda: "Doc-path-Passw0rd!",
        "CODE": lambda: latest("lin", "confirm-sign-up"),
        "TEMPORARY_PASSWORD": lambda: latest("alice", "invitation"),
        "SESSION": lambda: str(answers[-1]["Session"]),
    }

    for command in doc_commands("visitor"):
        answers.append(cli_call(client, command, variables))
    visitor_token = answers[-1]["AuthenticationResult"]["IdToken"]
    me = local_stack.http.post(
        local_stack.graphql_url, json={"query": "{ me { displayName } }"}, headers={"Authorization": visitor_token}
    ).json()
    assert me == {"data": {"me": {"displayName": "lin"}}}

    for command in doc_commands("admin") + doc_commands("admin-sign-in"):
        answers.append(cli_call(client, command, variables))
    assert answers[-2]["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    admin_token = answers[-1]["AuthenticationResult"]["IdToken"]
    claims = jwt.decode(admin_token, options={"verify_signature": False})
    assert claims["cognito:username"] == "alice"
    assert ADMINS_GROUP in claims["cognito:groups"]
    me = local_stack.http.post(
        local_stack.graphql_url, json={"query": "{ me { displayName } }"}, headers={"Authorization": admin_token}
    ).json()
    assert me == {"data": {"me": {"displayName": "alice"}}}
