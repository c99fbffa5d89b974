"""What the deployed stack and the local stack offer clients is the same, so the SPA runs unchanged on both."""

from __future__ import annotations

from typing import Any

from cdk_app.spa_hosting import spa_config
from local_stack.cognito.pool import APP_CLIENT_AUTH_FLOWS
from mirror.authorization import API_KEY, COGNITO, IAM
from resolvers.api_settings import ADDITIONAL_AUTH_MODES, DEFAULT_AUTH_MODE
from tests.cdk.conftest import Synthesized
from tests.conftest import RunningStack

SHARED_FACTS = (
    "adminsGroup",
    "editableFields",
    "editableFieldKinds",
    "limits",
    "errorFields",
    "passwordPolicy",
    "roleWords",
)


def test_app_client_flows_match_the_local_pool(dev: Synthesized) -> None:
    _, client = dev.only("AWS::Cognito::UserPoolClient")
    assert set(client["Properties"]["ExplicitAuthFlows"]) == set(APP_CLIENT_AUTH_FLOWS)
    assert client["Properties"]["GenerateSecret"] is False


def test_auth_modes_are_the_ones_the_mirror_enforces(dev: Synthesized) -> None:
    _, api = dev.only("AWS::AppSync::GraphQLApi")
    assert api["Properties"]["AuthenticationType"] == DEFAULT_AUTH_MODE == API_KEY
    additional = [mode["AuthenticationType"] for mode in api["Properties"]["AdditionalAuthenticationProviders"]]
    assert additional == list(ADDITIONAL_AUTH_MODES) == [COGNITO, IAM]


def test_config_json_has_the_same_keys_locally_and_on_aws(dev: Synthesized, local_stack: RunningStack) -> None:
    local = local_stack.http.get(f"{local_stack.base_url}/config.json").json()
    deployed: dict[str, Any] = dict(spa_config(dev.stack.api, dev.stack.auth))
    assert set(local) == set(deployed)
    assert deployed["auth"] is not None
    assert set(local["auth"]) == set(deployed["auth"])
    assert {name: local[name] for name in SHARED_FACTS} == {name: deployed[name] for name in SHARED_FACTS}
