"""The stream consumer: a second function from the resolvers' asset, fed the table's stream by an event source
mapping as ``resolvers.function_settings.STREAM_CONSUMER`` describes it (``gather dev`` runs the same locally).

Partial batch failures are reported (``ReportBatchItemFailures``), a failing batch is halved, retried a bounded
number of times, and then described on an SQS queue (the on-failure destination) so the shard moves on. Alarms:
anything on that queue, the consumer's errors, and an iterator age that says it is falling behind.

Least privilege: the role reads and deletes the table's items and reads its stream (the mapping polls with the
function's role), sends to its own queue, writes its own log group, and calls the API's one IAM field
(``api_settings.CONSUMER_PUBLISH_FIELD``, signed with SigV4) to tell subscribers of its changes; nothing else.
"""

from __future__ import annotations

from typing import Final

from aws_cdk import Duration
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from cdk_app.nag import acknowledge
from cdk_app.resolver_function import ResolverFunction
from cdk_app.stage import StageConfig
from cdk_app.table import GatherTable
from resolvers.api_settings import CONSUMER_PUBLISH_FIELD
from resolvers.function_settings import STREAM_CONSUMER
from resolvers.settings import GRAPHQL_URL_VARIABLE, TABLE_NAME_VARIABLE
from resolvers.table_definition import HOSTED_INDEX

CONSUMER_TABLE_ACTIONS: Final = (
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:BatchWriteItem",
)
"""Clean-up pages (Query, BatchWriteItem, the marker's PutItem) and transactions of its own."""
CONSUMER_INDEX_ACTIONS: Final = ("dynamodb:Query",)
"""On the hosted-events index alone (``HOSTED_INDEX``): a host's new name is carried to the events found there."""
STREAM_READ_ACTIONS: Final = ("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator")
ITERATOR_AGE_ALARM: Final = Duration.minutes(5)
"""Records waiting longer than this mean the consumer is stuck or too slow; deletions and promotions lag."""


class StreamConsumer(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        table: GatherTable,
        resolvers: ResolverFunction,
        stage: StageConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        stream_arn = table.table.table_stream_arn
        if stream_arn is None:
            raise ValueError("The table needs its stream (TableDefinition.stream_view_type)")

        self.failures = sqs.Queue(
            self,
            "OnFailure",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        acknowledge(
            self.failures,
            "AwsSolutions-SQS3",
            "This queue is the stream mapping's on-failure destination: it holds descriptions of stream batches "
            "that failed for good, read by people after its alarm, never by a consumer that could fail in turn.",
        )

        companion = resolvers.companion(
            self,
            description="Follows the Gather table's stream: cleans up after deleted events, publishes changed events.",
            role_description="Gather stream consumer: its table and stream, its failure queue, its log group.",
            handler=STREAM_CONSUMER.handler,
            memory_mb=STREAM_CONSUMER.memory_mb,
            timeout_seconds=STREAM_CONSUMER.timeout_seconds,
            tracing=lambda_.Tracing.ACTIVE,
            environment={TABLE_NAME_VARIABLE: table.table.table_name},
        )
        self.function, self.role, self.log_group = companion.function, companion.role, companion.log_group
        self.role.add_to_policy(
            iam.PolicyStatement(actions=list(CONSUMER_TABLE_ACTIONS), resources=[table.table.table_arn])
        )
        self.role.add_to_policy(
            iam.PolicyStatement(actions=list(CONSUMER_INDEX_ACTIONS), resources=[table.index_arn(HOSTED_INDEX)])
        )
        self.role.add_to_policy(iam.PolicyStatement(actions=list(STREAM_READ_ACTIONS), resources=[stream_arn]))
        # The mapping lists the table's streams before it reads one; ListStreams names no resource.
        self.role.add_to_policy(iam.PolicyStatement(actions=["dynamodb:ListStreams"], resources=["*"]))
        acknowledge(
            self.role,
            "AwsSolutions-IAM5[Resource::*]",
            "Resource '*' only for dynamodb:ListStreams, which has no resource-level permissions, and X-Ray's "
            "PutTraceSegments/PutTelemetryRecords (active tracing), which have none either.",
        )

        self.mapping = lambda_.EventSourceMapping(
            self,
            "TableStream",
            target=self.function,
            event_source_arn=stream_arn,
            starting_position=lambda_.StartingPosition(STREAM_CONSUMER.starting_position),
            batch_size=STREAM_CONSUMER.batch_size,
            bisect_batch_on_error=STREAM_CONSUMER.bisect_batch_on_function_error,
            retry_attempts=STREAM_CONSUMER.maximum_retry_attempts,
            report_batch_item_failures=True,
            on_failure=event_sources.SqsDlq(self.failures),
        )

        five_minutes = Duration.minutes(5)
        self.failed_batches = self._alarm(
            "FailedBatches",
            "A stream batch failed for good: its description is on the on-failure queue.",
            self.failures.metric_approximate_number_of_messages_visible(period=five_minutes),
            1,
        )
        self.errors = self._alarm(
            "Errors",
            "The stream consumer failed invocations (records are being retried).",
            self.function.metric_errors(statistic=cloudwatch.Stats.SUM, period=five_minutes),
            1,
        )
        self.falling_behind = self._alarm(
            "FallingBehind",
            "Stream records wait too long for the consumer: clean-ups lag behind.",
            cloudwatch.Metric(
                namespace="AWS/Lambda",
                metric_name="IteratorAge",
                dimensions_map={"FunctionName": self.function.function_name},
                statistic=cloudwatch.Stats.MAXIMUM,
                period=five_minutes,
            ),
            ITERATOR_AGE_ALARM.to_milliseconds(),
        )

    def publish_to(self, api: appsync.GraphqlApi) -> None:
        """The consumer tells the API's subscribers of its changes: it may call that one field, at that URL."""
        type_name, field_name = CONSUMER_PUBLISH_FIELD
        api.grant(self.role, appsync.IamResource.of_type(type_name, field_name), "appsync:GraphQL")
        self.function.add_environment(GRAPHQL_URL_VARIABLE, api.graphql_url)

    def _alarm(self, alarm_id: str, description: str, metric: cloudwatch.IMetric, threshold: float) -> cloudwatch.Alarm:
        """At or above ``threshold`` in one five-minute period; no data is no trouble."""
        return cloudwatch.Alarm(
            self,
            alarm_id,
            alarm_description=description,
            metric=metric,
            threshold=threshold,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

    @property
    def alarms(self) -> list[cloudwatch.Alarm]:
        return [self.failed_batches, self.errors, self.falling_behind]
