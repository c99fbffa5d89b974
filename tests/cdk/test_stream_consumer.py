"""The stream consumer on AWS: the table's stream, the function from the resolvers' asset, the event source
mapping as STREAM_CONSUMER (which gather dev's local mapping follows) describes it, its on-failure queue,
alarms, and a role that reaches nothing beyond its table, stream, queue and log group."""

from __future__ import annotations

import fnmatch
from typing import Any

from cdk_app.stream_consumer import CONSUMER_INDEX_ACTIONS, CONSUMER_TABLE_ACTIONS, STREAM_READ_ACTIONS
from resolvers.api_settings import CONSUMER_PUBLISH_FIELD
from resolvers.function_settings import STREAM_CONSUMER
from resolvers.settings import GRAPHQL_URL_VARIABLE
from resolvers.table_definition import GATHER_TABLE, HOSTED_INDEX
from tests.cdk.conftest import Synthesized
from tests.cdk.test_resolver_function import as_list


def test_the_table_streams_new_and_old_images(synthesized: Synthesized) -> None:
    _, table = synthesized.only("AWS::DynamoDB::GlobalTable")
    assert table["Properties"]["StreamSpecification"] == {"StreamViewType": GATHER_TABLE.stream_view_type}
    assert (
        GATHER_TABLE.create_table_arguments("gather")["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    )


def test_the_mapping_reports_partial_failures_bisects_retries_and_sends_failures_to_its_queue(
    synthesized: Synthesized,
) -> None:
    consumer = synthesized.stack.consumer
    _, mapping = synthesized.only("AWS::Lambda::EventSourceMapping")
    table_id = synthesized.logical_id(synthesized.stack.table.table)
    assert mapping["Properties"] == {
        **mapping["Properties"],
        "EventSourceArn": {"Fn::GetAtt": [table_id, "StreamArn"]},
        "FunctionName": {"Ref": synthesized.logical_id(consumer.function)},
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "BisectBatchOnFunctionError": STREAM_CONSUMER.bisect_batch_on_function_error,
        "MaximumRetryAttempts": STREAM_CONSUMER.maximum_retry_attempts,
        "BatchSize": STREAM_CONSUMER.batch_size,
        "StartingPosition": STREAM_CONSUMER.starting_position,
        "DestinationConfig": {
            "OnFailure": {"Destination": {"Fn::GetAtt": [synthesized.logical_id(consumer.failures), "Arn"]}}
        },
    }
    function = synthesized.resources[synthesized.logical_id(consumer.function)]["Properties"]
    resolvers = synthesized.resources[synthesized.logical_id(synthesized.stack.resolvers.function)]["Properties"]
    assert function["Handler"] == STREAM_CONSUMER.handler
    assert function["Timeout"] == STREAM_CONSUMER.timeout_seconds
    assert function["Code"] == resolvers["Code"], "the same asset as the resolvers"


def _statements(synthesized: Synthesized, role_id: str) -> list[dict[str, Any]]:
    return [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_the_consumer_role_reaches_its_table_stream_queue_and_logs_only(synthesized: Synthesized) -> None:
    consumer = synthesized.stack.consumer
    role_id = synthesized.logical_id(consumer.role)
    table_id = synthesized.logical_id(synthesized.stack.table.table)
    queue_arn = {"Fn::GetAtt": [synthesized.logical_id(consumer.failures), "Arn"]}
    log_group_arn = {"Fn::GetAtt": [synthesized.logical_id(consumer.log_group), "Arn"]}
    by_resource: dict[str, set[str]] = {}
    for statement in _statements(synthesized, role_id):
        assert statement["Effect"] == "Allow"
        for resource in as_list(statement["Resource"]):
            by_resource.setdefault(str(resource), set()).update(as_list(statement["Action"]))
    assert by_resource.pop(str({"Fn::GetAtt": [table_id, "Arn"]})) == set(CONSUMER_TABLE_ACTIONS)
    hosted_index = {"Fn::Join": ["", [{"Fn::GetAtt": [table_id, "Arn"]}, f"/index/{HOSTED_INDEX}"]]}
    assert by_resource.pop(str(hosted_index)) == set(CONSUMER_INDEX_ACTIONS), "one index, to find a host's events"
    assert by_resource.pop(str({"Fn::GetAtt": [table_id, "StreamArn"]})) == set(STREAM_READ_ACTIONS)
    assert by_resource.pop("*") == {"dynamodb:ListStreams", "xray:PutTelemetryRecords", "xray:PutTraceSegments"}
    assert by_resource.pop(str(log_group_arn)) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert {action.split(":")[0] for action in by_resource.pop(str(queue_arn))} == {"sqs"}
    assert by_resource.pop(str(publish_field_arn(synthesized))) == {"appsync:GraphQL"}
    assert by_resource == {}
    assert "dynamodb:Scan" not in CONSUMER_TABLE_ACTIONS


def publish_field_arn(synthesized: Synthesized) -> dict[str, Any]:
    """``arn:<partition>:appsync:<region>:<account>:apis/<id>/types/Mutation/fields/publishEventChanged``."""
    type_name, field_name = CONSUMER_PUBLISH_FIELD
    stack = synthesized.stack
    api_id = {"Fn::GetAtt": [synthesized.logical_id(stack.api.api), "ApiId"]}
    prefix = f"arn:aws:appsync:{stack.region}:{stack.account}:apis/"
    return {"Fn::Join": ["", [prefix, api_id, f"/types/{type_name}/fields/{field_name}"]]}


def test_the_consumer_may_call_the_publish_field_alone_at_the_apis_url(synthesized: Synthesized) -> None:
    consumer = synthesized.stack.consumer
    grants = [
        statement
        for statement in _statements(synthesized, synthesized.logical_id(consumer.role))
        if "appsync:GraphQL" in as_list(statement["Action"])
    ]
    assert grants == [{"Action": "appsync:GraphQL", "Effect": "Allow", "Resource": publish_field_arn(synthesized)}]
    variables = synthesized.resources[synthesized.logical_id(consumer.function)]["Properties"]["Environment"]
    api_id = synthesized.logical_id(synthesized.stack.api.api)
    assert variables["Variables"][GRAPHQL_URL_VARIABLE] == {"Fn::GetAtt": [api_id, "GraphQLUrl"]}
    # Nobody else is granted any AppSync field: the browser, API key and user pools callers have no IAM role here.
    # (The key's renewal job may update the key, an action that calls no field.)
    other_grants = [
        statement
        for policy in synthesized.of_type("AWS::IAM::Policy").values()
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if any(fnmatch.fnmatchcase("appsync:GraphQL", str(action)) for action in as_list(statement["Action"]))
    ]
    assert other_grants == grants


def test_failed_batches_errors_and_a_stuck_stream_raise_alarms(synthesized: Synthesized) -> None:
    topic_id, _ = synthesized.only("AWS::SNS::Topic")
    consumer = synthesized.stack.consumer
    for alarm in consumer.alarms:
        properties = synthesized.resources[synthesized.logical_id(alarm)]["Properties"]
        assert properties["AlarmActions"] == [{"Ref": topic_id}]
    queue = synthesized.resources[synthesized.logical_id(consumer.failures)]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True
