"""DynamoDB from the shared table definition, Cognito for the SPA, and what the stage switch changes."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import App, RemovalPolicy
from aws_cdk.assertions import Match
from constructs import Node

from cdk_app.stage import stage_from_context
from resolvers.api_settings import PASSWORD_POLICY
from resolvers.identity import ADMINS_GROUP
from resolvers.table_definition import GATHER_TABLE
from tests.cdk.conftest import Synthesized


def test_table_follows_the_shared_definition(synthesized: Synthesized) -> None:
    _, table = synthesized.only("AWS::DynamoDB::GlobalTable")
    props = table["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": GATHER_TABLE.partition_key, "KeyType": "HASH"},
        {"AttributeName": GATHER_TABLE.sort_key, "KeyType": "RANGE"},
    ]
    assert props["GlobalSecondaryIndexes"] == [
        {
            "IndexName": index.name,
            "KeySchema": [
                {"AttributeName": index.partition_key, "KeyType": "HASH"},
                {"AttributeName": index.sort_key, "KeyType": "RANGE"},
            ],
            "Projection": index.projection,
        }
        for index in GATHER_TABLE.global_indexes
    ]
    # The listing index copies the event items whole, which hold no counter: an RSVP writes no listing-index item.
    # The seats index copies keys alone: a seat's event id and start are in them (a hosted event's id too).
    listing, seats = props["GlobalSecondaryIndexes"]
    assert listing["Projection"] == {"ProjectionType": "ALL"}
    assert seats["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    # The boto3 definition the local stack creates declares the same attributes.
    local = GATHER_TABLE.create_table_arguments("gather")
    assert sorted(props["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == local["AttributeDefinitions"]
    assert props["BillingMode"] == local["BillingMode"] == "PAY_PER_REQUEST"
    (replica,) = props["Replicas"]
    assert replica["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    # No item in the design expires and the local bootstrap turns no TTL on; one set here alone would differ.
    assert "TimeToLiveSpecification" not in props


def replica_of(synthesized: Synthesized) -> dict[str, Any]:
    _, table = synthesized.only("AWS::DynamoDB::GlobalTable")
    (replica,) = table["Properties"]["Replicas"]
    return dict(replica)


def test_table_is_protected_and_retained_in_prod_only(dev: Synthesized, prod: Synthesized) -> None:
    assert replica_of(dev)["DeletionProtectionEnabled"] is False
    assert replica_of(prod)["DeletionProtectionEnabled"] is True
    dev.template.has_resource("AWS::DynamoDB::GlobalTable", {"DeletionPolicy": "Delete"})
    prod.template.has_resource("AWS::DynamoDB::GlobalTable", {"DeletionPolicy": "Retain"})


@pytest.mark.parametrize(
    "resource_type",
    [
        "AWS::DynamoDB::GlobalTable",
        "AWS::Cognito::UserPool",
        "AWS::SecretsManager::Secret",
        "AWS::S3::Bucket",
        "AWS::Logs::LogGroup",
    ],
)
def test_prod_keeps_its_data(prod: Synthesized, resource_type: str) -> None:
    for key, resource in prod.of_type(resource_type).items():
        assert resource.get("DeletionPolicy") == "Retain", key


def test_prod_stack_has_termination_protection(dev: Synthesized, prod: Synthesized) -> None:
    assert prod.stack.termination_protection is True
    assert dev.stack.termination_protection is False
    prod.template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 90})
    dev.template.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 7})


def test_user_pool_has_a_strong_password_policy(synthesized: Synthesized) -> None:
    synthesized.template.has_resource_properties(
        "AWS::Cognito::UserPool",
        {
            "Policies": {
                "PasswordPolicy": Match.object_like(
                    {
                        "MinimumLength": PASSWORD_POLICY.min_length,
                        "RequireLowercase": PASSWORD_POLICY.require_lowercase,
                        "RequireUppercase": PASSWORD_POLICY.require_uppercase,
                        "RequireNumbers": PASSWORD_POLICY.require_digits,
                        "RequireSymbols": PASSWORD_POLICY.require_symbols,
                    }
                )
            },
            "MfaConfiguration": "OPTIONAL",
        },
    )
    assert PASSWORD_POLICY.min_length >= 12
    assert PASSWORD_POLICY.require_symbols
    assert PASSWORD_POLICY.require_digits


def test_spa_client_is_public_with_password_and_srp_flows(synthesized: Synthesized) -> None:
    _, client = synthesized.only("AWS::Cognito::UserPoolClient")
    props = client["Properties"]
    assert props["GenerateSecret"] is False
    assert set(props["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert props["PreventUserExistenceErrors"] == "ENABLED"


def test_admins_group(synthesized: Synthesized) -> None:
    pool_id, _ = synthesized.only("AWS::Cognito::UserPool")
    synthesized.template.has_resource_properties(
        "AWS::Cognito::UserPoolGroup", {"GroupName": ADMINS_GROUP, "UserPoolId": {"Ref": pool_id}}
    )


def context(**values: str) -> Node:
    """CLI-style context (strings) on an app that is never synthesized."""
    return App(context=values).node


def test_stage_defaults_to_dev_and_rejects_unknown_names() -> None:
    assert stage_from_context(context()).name == "dev"
    assert stage_from_context(context(stage="prod")).removal_policy == RemovalPolicy.RETAIN
    with pytest.raises(ValueError, match="Unknown stage"):
        stage_from_context(context(stage="staging"))


def test_stage_context_overrides() -> None:
    assert stage_from_context(context(stage="prod", introspection="true")).introspection is True
    assert stage_from_context(context(introspection="false")).introspection is False
    with pytest.raises(ValueError, match="together"):
        stage_from_context(context(spaDomainName="events.example.org"))
    with pytest.raises(ValueError, match="not true or false"):
        stage_from_context(context(introspection="maybe"))
