"""The public key's renewal on the template: a daily rule and a deploy-time trigger run the renewal handler,
whose role may update that one key; an alarm on the days it reports (missing reports included) notifies the
alarms topic."""

from __future__ import annotations

from typing import Any

from cdk_app.api_key_renewal import ALARM_PERIODS, RENEWAL_ACTIONS
from resolvers.api_settings import API_KEY_ALARM_DAYS
from resolvers.function_settings import API_KEY_RENEWAL, HANDLER, METRICS_NAMESPACE, SERVICE_NAME
from resolvers.settings import API_ID_VARIABLE, API_KEY_ID_VARIABLE
from tests.cdk.conftest import Synthesized
from tests.cdk.test_resolver_function import as_list


def _properties(synthesized: Synthesized, construct: Any) -> dict[str, Any]:
    properties: dict[str, Any] = synthesized.resources[synthesized.logical_id(construct)]["Properties"]
    return properties


def _key_id(synthesized: Synthesized) -> str:
    return str(synthesized.stack.get_logical_id(synthesized.stack.api.api_key_resource))


def test_a_daily_rule_runs_the_renewal_handler_of_the_resolvers_asset(synthesized: Synthesized) -> None:
    renewal = synthesized.stack.key_renewal
    function = _properties(synthesized, renewal.function)
    resolvers = _properties(synthesized, synthesized.stack.resolvers.function)
    assert function["Handler"] == API_KEY_RENEWAL.handler != HANDLER
    assert function["Code"] == resolvers["Code"], "the same asset, its own handler module"
    key_id = _key_id(synthesized)
    assert function["Environment"]["Variables"][API_KEY_ID_VARIABLE] == {"Fn::GetAtt": [key_id, "ApiKeyId"]}
    api_id = synthesized.logical_id(synthesized.stack.api.api)
    assert function["Environment"]["Variables"][API_ID_VARIABLE] == {"Fn::GetAtt": [api_id, "ApiId"]}

    rule = _properties(synthesized, renewal.schedule)
    assert rule["ScheduleExpression"] == f"rate({API_KEY_RENEWAL.interval_days} day)"
    assert rule["State"] == "ENABLED"
    (target,) = rule["Targets"]
    assert target["Arn"] == {"Fn::GetAtt": [synthesized.logical_id(renewal.function), "Arn"]}


def test_every_deploy_runs_it_once_after_the_key_exists(synthesized: Synthesized) -> None:
    """The alarm counts a missing report as trouble: the first one comes with the deployment, not a day later."""
    _, trigger = synthesized.only("Custom::Trigger")
    version = synthesized.resources[trigger["Properties"]["HandlerArn"]["Ref"]]
    assert version["Type"] == "AWS::Lambda::Version"
    function_id = synthesized.logical_id(synthesized.stack.key_renewal.function)
    assert version["Properties"]["FunctionName"] == {"Ref": function_id}
    assert _key_id(synthesized) in trigger["DependsOn"]


def test_the_renewal_role_updates_that_one_key_and_writes_its_own_logs(synthesized: Synthesized) -> None:
    renewal = synthesized.stack.key_renewal
    role_id = synthesized.logical_id(renewal.role)
    key_arn = {"Fn::GetAtt": [_key_id(synthesized), "Arn"]}
    log_group_arn = {"Fn::GetAtt": [synthesized.logical_id(renewal.log_group), "Arn"]}
    by_resource: dict[str, set[str]] = {}
    for policy in synthesized.of_type("AWS::IAM::Policy").values():
        if {"Ref": role_id} not in policy["Properties"]["Roles"]:
            continue
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            assert statement["Effect"] == "Allow"
            assert "Condition" not in statement
            for resource in as_list(statement["Resource"]):
                by_resource.setdefault(str(resource), set()).update(as_list(statement["Action"]))
    assert by_resource == {
        str(key_arn): set(RENEWAL_ACTIONS),
        str(log_group_arn): {"logs:CreateLogStream", "logs:PutLogEvents"},
    }
    role = synthesized.resources[role_id]["Properties"]
    assert "ManagedPolicyArns" not in role


def test_an_alarm_fires_below_the_warning_days_or_without_reports(synthesized: Synthesized) -> None:
    topic_id, _ = synthesized.only("AWS::SNS::Topic")
    alarm = _properties(synthesized, synthesized.stack.key_renewal.alarm)
    assert alarm == {
        **alarm,
        "Namespace": METRICS_NAMESPACE,
        "MetricName": API_KEY_RENEWAL.days_left_metric,
        "Dimensions": [{"Name": "service", "Value": SERVICE_NAME}],
        "Statistic": "Minimum",
        "Period": API_KEY_RENEWAL.interval_days * 86_400,
        "ComparisonOperator": "LessThanThreshold",
        "Threshold": API_KEY_ALARM_DAYS,
        "EvaluationPeriods": ALARM_PERIODS,
        "DatapointsToAlarm": ALARM_PERIODS,
        "TreatMissingData": "breaching",
        "AlarmActions": [{"Ref": topic_id}],
        "OKActions": [{"Ref": topic_id}],
    }
    assert ALARM_PERIODS * alarm["Period"] <= 7 * 86_400, "CloudWatch evaluates at most seven days"
