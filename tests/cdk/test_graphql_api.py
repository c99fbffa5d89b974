"""The AppSync API: the schema file itself, auth and limits from api_settings, a resolver per served field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import graphql
import pytest
from aws_cdk import App
from aws_cdk.assertions import Match

import cdk_app.stack
from cdk_app.app import build
from cdk_app.paths import SCHEMA_FILE
from mirror.field_accounting import UnaccountedFields
from resolvers import api_settings
from resolvers.api import served_fields
from tests.cdk.conftest import Synthesized, cdk_json_context


def schema_fields() -> dict[str, set[str]]:
    """Object type → field names, read from the SDL (AppSync scalars need no definitions for this)."""
    document = graphql.parse(SCHEMA_FILE.read_text())
    return {
        definition.name.value: {field.name.value for field in definition.fields or ()}
        for definition in document.definitions
        if isinstance(definition, graphql.ObjectTypeDefinitionNode | graphql.ObjectTypeExtensionNode)
    }


def test_definition_is_schema_graphql_itself(dev: Synthesized) -> None:
    dev.template.has_resource_properties("AWS::AppSync::GraphQLSchema", {"Definition": SCHEMA_FILE.read_text()})


def test_every_served_field_has_a_direct_lambda_resolver_with_its_batch_size(synthesized: Synthesized) -> None:
    expected = served_fields()
    resolvers = {
        (props["TypeName"], props["FieldName"]): props
        for props in (resource["Properties"] for resource in synthesized.of_type("AWS::AppSync::Resolver").values())
    }
    assert set(resolvers) == set(expected)
    _, data_source = synthesized.only("AWS::AppSync::DataSource")
    for key, props in resolvers.items():
        assert props["DataSourceName"] == data_source["Properties"]["Name"], key
        assert props["Kind"] == "UNIT", key
        # Direct Lambda resolver: no mapping templates, no JS code.
        for absent in ("RequestMappingTemplate", "ResponseMappingTemplate", "Code", "Runtime"):
            assert absent not in props, (key, absent)
        assert props.get("MaxBatchSize") == expected[key], key


def test_batch_fields_get_batch_invoke(dev: Synthesized) -> None:
    batched = {key: size for key, size in served_fields().items() if size}
    assert batched, "the registry should name batched fields"
    assert all(1 <= size <= 2000 for size in batched.values()), "AppSync accepts maxBatchSize 1-2000"
    for (type_name, field_name), size in batched.items():
        dev.template.has_resource_properties(
            "AWS::AppSync::Resolver", {"TypeName": type_name, "FieldName": field_name, "MaxBatchSize": size}
        )


def test_resolvers_match_the_schema(dev: Synthesized) -> None:
    fields = schema_fields()
    for type_name, field_name in served_fields():
        assert field_name in fields.get(type_name, set()), f"{type_name}.{field_name} is not in schema.graphql"
    # Every query and mutation in the schema is served (subscriptions ride on mutations, no resolver).
    for root in ("Query", "Mutation"):
        for field_name in fields.get(root, set()):
            assert (root, field_name) in served_fields(), f"{root}.{field_name} has no resolver"


def test_data_source_is_the_resolver_alias(dev: Synthesized) -> None:
    alias_id, _ = dev.only("AWS::Lambda::Alias")
    dev.template.has_resource_properties(
        "AWS::AppSync::DataSource", {"Type": "AWS_LAMBDA", "LambdaConfig": {"LambdaFunctionArn": {"Ref": alias_id}}}
    )


def test_auth_modes_come_from_api_settings(dev: Synthesized) -> None:
    pool_id, _ = dev.only("AWS::Cognito::UserPool")
    pool = {"UserPoolConfig": {"AwsRegion": dev.stack.region, "UserPoolId": {"Ref": pool_id}}}
    settings = {"AMAZON_COGNITO_USER_POOLS": pool, "AWS_IAM": {}}
    _, api = dev.only("AWS::AppSync::GraphQLApi")
    assert api["Properties"]["AuthenticationType"] == api_settings.DEFAULT_AUTH_MODE
    assert api["Properties"]["AdditionalAuthenticationProviders"] == [
        {"AuthenticationType": mode, **settings[mode]} for mode in api_settings.ADDITIONAL_AUTH_MODES
    ]


def test_limits_tracing_and_logging_without_personal_data(synthesized: Synthesized) -> None:
    log_role_id = synthesized.logical_id(synthesized.stack.api.node.find_child("LogRole"))
    synthesized.template.has_resource_properties(
        "AWS::AppSync::GraphQLApi",
        {
            "QueryDepthLimit": api_settings.QUERY_DEPTH_LIMIT,
            "ResolverCountLimit": api_settings.RESOLVER_COUNT_LIMIT,
            "XrayEnabled": True,
            "LogConfig": {
                "FieldLogLevel": "ERROR",
                "ExcludeVerboseContent": True,
                "CloudWatchLogsRoleArn": {"Fn::GetAtt": [log_role_id, "Arn"]},
            },
        },
    )
    api_id = synthesized.logical_id(synthesized.stack.api.api)
    synthesized.template.has_resource_properties(
        "AWS::Logs::LogGroup",
        {
            "LogGroupName": {"Fn::Join": ["", ["/aws/appsync/apis/", {"Fn::GetAtt": [api_id, "ApiId"]}]]},
            "RetentionInDays": Match.any_value(),
        },
    )
    # No LogRetention custom resource racing the log group for its name.
    assert not synthesized.of_type("Custom::LogRetention")


def test_introspection_per_stage(dev: Synthesized, prod: Synthesized) -> None:
    dev.template.has_resource_properties("AWS::AppSync::GraphQLApi", {"IntrospectionConfig": "ENABLED"})
    prod.template.has_resource_properties("AWS::AppSync::GraphQLApi", {"IntrospectionConfig": "DISABLED"})


def test_api_key_lasts_nearly_a_year(dev: Synthesized) -> None:
    _, key = dev.only("AWS::AppSync::ApiKey")
    expires = datetime.fromtimestamp(key["Properties"]["Expires"], UTC)
    now = datetime.now(UTC)
    assert now + timedelta(days=360) < expires <= now + timedelta(days=365)


def test_waf_rate_limits_the_api(synthesized: Synthesized) -> None:
    api_id = synthesized.logical_id(synthesized.stack.api.api)
    acl_id, acl = synthesized.only("AWS::WAFv2::WebACL")
    props = acl["Properties"]
    assert props["Scope"] == "REGIONAL"
    assert props["DefaultAction"] == {"Allow": {}}
    (rule,) = props["Rules"]
    assert rule["Action"] == {"Block": {}}
    rate = rule["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP"
    assert rate["Limit"] == synthesized.stack.stage.api_rate_limit
    assert rate["EvaluationWindowSec"] == 300
    synthesized.template.has_resource_properties(
        "AWS::WAFv2::WebACLAssociation",
        {"ResourceArn": {"Fn::GetAtt": [api_id, "Arn"]}, "WebACLArn": {"Fn::GetAtt": [acl_id, "Arn"]}},
    )


def test_outputs_name_what_a_client_needs(synthesized: Synthesized) -> None:
    outputs = synthesized.template.to_json()["Outputs"]
    for name in ("GraphqlUrl", "RealtimeUrl", "SpaUrl", "UserPoolId", "UserPoolClientId", "ApiKey", "Region"):
        assert name in outputs, name
    api_id = synthesized.logical_id(synthesized.stack.api.api)
    assert outputs["GraphqlUrl"]["Value"] == {"Fn::GetAtt": [api_id, "GraphQLUrl"]}
    assert outputs["RealtimeUrl"]["Value"] == {"Fn::GetAtt": [api_id, "RealtimeUrl"]}


def test_synth_stops_naming_a_query_field_without_a_resolver(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    schema = tmp_path / "schema.graphql"
    schema.write_text(SCHEMA_FILE.read_text().replace("type Query {", "type Query {\n  eventsByTag: [Event!]!", 1))
    monkeypatch.setattr(cdk_app.stack, "SCHEMA_FILE", schema)
    with pytest.raises(UnaccountedFields, match=r"Query\.eventsByTag: no resolver is registered for it"):
        build(App(outdir=str(tmp_path / "out"), context=cdk_json_context()))
