"""The resolver Lambda: its code asset, runtime, layer, least-privilege role and canary release."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match

from cdk_app.paths import RESOLVERS_PACKAGE
from cdk_app.resolver_function import (
    DYNAMODB_INDEX_ACTIONS,
    DYNAMODB_TABLE_ACTIONS,
    HANDLER,
    MAX_CODE_BYTES,
    POWERTOOLS_LAYER_PARAMETER,
    POWERTOOLS_VERSION,
    stage_package,
)
from mirror.lambda_runtime import FunctionConfig
from resolvers.function_settings import (
    METRICS_NAMESPACE,
    SERVICE_NAME,
    UNEXPECTED_ERRORS_METRIC,
    VERSION_DIMENSION,
)
from resolvers.settings import TABLE_NAME_VARIABLE, TOKEN_SECRET_ARN_VARIABLE
from tests.cdk.conftest import Synthesized


def function_of(synthesized: Synthesized) -> tuple[str, dict[str, Any]]:
    function_id = synthesized.logical_id(synthesized.stack.resolvers.function)
    return function_id, synthesized.resources[function_id]["Properties"]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_function_runtime_architecture_tracing_and_environment(synthesized: Synthesized) -> None:
    table_id = synthesized.logical_id(synthesized.stack.table.table)
    secret_id = synthesized.logical_id(synthesized.stack.resolvers.token_secret)
    log_group_id = synthesized.logical_id(synthesized.stack.resolvers.log_group)
    _, props = function_of(synthesized)
    assert props["Runtime"] == "python3.14"
    assert props["Architectures"] == ["arm64"]
    assert props["Handler"] == HANDLER
    assert props["TracingConfig"] == {"Mode": "Active"}  # traces without an SDK in the function
    assert props["LoggingConfig"]["LogGroup"] == {"Ref": log_group_id}
    assert props["Environment"]["Variables"][TABLE_NAME_VARIABLE] == {"Ref": table_id}
    assert props["Environment"]["Variables"][TOKEN_SECRET_ARN_VARIABLE] == {"Ref": secret_id}
    log_group = synthesized.resources[log_group_id]["Properties"]
    assert log_group["RetentionInDays"] == {"dev": 7, "prod": 90}[synthesized.stack.stage.name]


def test_powertools_comes_from_the_public_layer_at_the_installed_version(synthesized: Synthesized) -> None:
    assert version("aws-lambda-powertools") == POWERTOOLS_VERSION, "bump POWERTOOLS_VERSION with the pyproject pin"
    assert f"/aws/service/powertools/python/arm64/python3.14/{POWERTOOLS_VERSION}" == POWERTOOLS_LAYER_PARAMETER
    _, props = function_of(synthesized)
    (layer,) = props["Layers"]
    parameter = synthesized.template.to_json()["Parameters"][layer["Ref"]]
    assert parameter == {"Type": "AWS::SSM::Parameter::Value<String>", "Default": POWERTOOLS_LAYER_PARAMETER}


def test_code_asset_holds_only_the_resolvers_package(dev: Synthesized) -> None:
    _, props = function_of(dev)
    asset_hash = props["Code"]["S3Key"].removesuffix(".zip")
    asset = dev.outdir / f"asset.{asset_hash}"
    shipped = {path.relative_to(asset).as_posix() for path in asset.rglob("*") if path.is_file()}
    expected = {
        f"resolvers/{path.relative_to(RESOLVERS_PACKAGE).as_posix()}"
        for path in RESOLVERS_PACKAGE.rglob("*.py")
        if not {"__pycache__", "tests"} & set(path.parts) and not path.name.startswith("test_")
    }
    assert shipped == expected
    assert "resolvers/handler.py" in shipped
    assert sum((asset / name).stat().st_size for name in shipped) <= MAX_CODE_BYTES


def test_staging_skips_caches_and_tests(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "__pycache__").mkdir(parents=True)
    (package / "tests").mkdir()
    (package / "__init__.py").write_text("")
    (package / "real.py").write_text("X = 1\n")
    (package / "notes.txt").write_text("not code")
    (package / "__pycache__" / "real.cpython-311.pyc").write_bytes(b"\0")
    (package / "tests" / "test_real.py").write_text("")
    (package / "test_inline.py").write_text("")
    staged = stage_package(package, tmp_path / "staging")
    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()) == [
        "pkg/__init__.py",
        "pkg/real.py",
    ]


def test_staging_refuses_an_oversized_package(tmp_path: Path) -> None:
    package = tmp_path / "big"
    package.mkdir()
    (package / "blob.py").write_text("#" * (MAX_CODE_BYTES + 1))
    with pytest.raises(ValueError, match="must stay under"):
        stage_package(package, tmp_path / "staging")


def test_role_grants_nothing_beyond_its_table(synthesized: Synthesized) -> None:
    """Every statement on the function's role, and only these: its table and index, secret, log group, X-Ray."""
    resolvers = synthesized.stack.resolvers
    role_id = synthesized.logical_id(resolvers.role)
    table_id = synthesized.logical_id(synthesized.stack.table.table)
    secret_id = synthesized.logical_id(resolvers.token_secret)
    log_group_id = synthesized.logical_id(resolvers.log_group)

    role = synthesized.resources[role_id]["Properties"]
    assert "ManagedPolicyArns" not in role
    assert "Policies" not in role
    statements = [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]
    table_arn = {"Fn::GetAtt": [table_id, "Arn"]}
    index_arns = [
        {"Fn::Join": ["", [table_arn, f"/index/{index.name}"]]}
        for index in synthesized.stack.table.definition.global_indexes
    ]
    expected = {
        "dynamodb-table": (sorted(DYNAMODB_TABLE_ACTIONS), [table_arn]),
        "dynamodb-index": (sorted(DYNAMODB_INDEX_ACTIONS), index_arns),
        "secret": (["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], [{"Ref": secret_id}]),
        "logs": (["logs:CreateLogStream", "logs:PutLogEvents"], [{"Fn::GetAtt": [log_group_id, "Arn"]}]),
        "xray": (["xray:PutTelemetryRecords", "xray:PutTraceSegments"], ["*"]),
    }
    actual = sorted((sorted(as_list(s["Action"])), as_list(s["Resource"])) for s in statements)
    assert all(s["Effect"] == "Allow" and "Condition" not in s for s in statements)
    assert actual == sorted(expected.values())
    for actions, _ in actual:
        assert all("*" not in action for action in actions)
    assert "dynamodb:Scan" not in DYNAMODB_TABLE_ACTIONS


def test_alias_moves_through_a_codedeploy_canary_that_rolls_back_on_errors(synthesized: Synthesized) -> None:
    release = synthesized.stack.release
    function_id, _ = function_of(synthesized)
    alias_id = synthesized.logical_id(release.alias)
    alarm_id = synthesized.logical_id(release.rollback_alarm)
    alias = synthesized.resources[alias_id]
    assert alias["Properties"]["Name"] == "live"
    assert alias["Properties"]["FunctionName"] == {"Ref": function_id}
    assert "CodeDeployLambdaAliasUpdate" in alias["UpdatePolicy"]
    minutes = synthesized.stack.stage.canary_minutes
    synthesized.template.has_resource_properties(
        "AWS::CodeDeploy::DeploymentGroup",
        {
            "DeploymentConfigName": f"CodeDeployDefault.LambdaCanary10Percent{minutes}Minutes",
            "AlarmConfiguration": {"Enabled": True, "Alarms": [{"Name": {"Ref": alarm_id}}]},
            "AutoRollbackConfiguration": {
                "Enabled": True,
                "Events": Match.array_with(["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]),
            },
        },
    )
    # The rollback alarm counts the handler's unexpected errors (not GatherErrors) in the version under canary.
    alarm = synthesized.resources[alarm_id]["Properties"]
    assert (alarm["Namespace"], alarm["MetricName"]) == (METRICS_NAMESPACE, UNEXPECTED_ERRORS_METRIC)
    dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
    assert dimensions["service"] == SERVICE_NAME
    assert dimensions[VERSION_DIMENSION] == alias["Properties"]["FunctionVersion"]  # the version the alias moves to
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (1, "GreaterThanOrEqualToThreshold")
    _, props = function_of(synthesized)
    assert props["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"] == METRICS_NAMESPACE


def test_snapstart_restores_every_published_version_the_canary_sends_traffic_to(synthesized: Synthesized) -> None:
    function_id, props = function_of(synthesized)
    assert props["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    [(version_id, _)] = [
        (version_id, version)
        for version_id, version in synthesized.template.find_resources("AWS::Lambda::Version").items()
        if version["Properties"]["FunctionName"] == {"Ref": function_id}
    ]
    alias = synthesized.resources[synthesized.logical_id(synthesized.stack.release.alias)]["Properties"]
    assert alias["FunctionVersion"] == {"Fn::GetAtt": [version_id, "Version"]}


def test_timeout_and_memory_are_the_ones_the_local_lambda_enforces(synthesized: Synthesized) -> None:
    _, props = function_of(synthesized)
    local = FunctionConfig()
    assert (props["Timeout"], props["MemorySize"], props["Handler"]) == (
        local.timeout_seconds,
        local.memory_mb,
        local.handler,
    )


def test_alarms_on_appsync_5xx_and_lambda_throttles_notify_the_topic(synthesized: Synthesized) -> None:
    topic_id, _ = synthesized.only("AWS::SNS::Topic")
    api_id = synthesized.logical_id(synthesized.stack.api.api)
    function_id, _ = function_of(synthesized)
    synthesized.template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/AppSync",
            "MetricName": "5XXError",
            "Dimensions": [{"Name": "GraphQLAPIId", "Value": {"Fn::GetAtt": [api_id, "ApiId"]}}],
            "AlarmActions": [{"Ref": topic_id}],
        },
    )
    synthesized.template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/Lambda",
            "MetricName": "Throttles",
            "Dimensions": [{"Name": "FunctionName", "Value": {"Ref": function_id}}],
            "AlarmActions": [{"Ref": topic_id}],
        },
    )
    synthesized.template.has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {"MetricName": UNEXPECTED_ERRORS_METRIC, "AlarmActions": [{"Ref": topic_id}]},
    )


def test_alarm_email_subscribes_in_prod_only_when_given(dev: Synthesized, prod: Synthesized) -> None:
    dev.template.resource_count_is("AWS::SNS::Subscription", 0)
    prod.template.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "ops@example.org"}
    )


def test_token_secret_is_generated(synthesized: Synthesized) -> None:
    synthesized.template.has_resource_properties(
        "AWS::SecretsManager::Secret",
        {"GenerateSecretString": {"PasswordLength": 64, "ExcludePunctuation": True}},
    )
