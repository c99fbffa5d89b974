"""Operational alarms and where they report: AppSync server errors, Lambda throttles, canary rollbacks."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from cdk_app.stage import StageConfig


class OperationalAlarms(Construct):
    """Every alarm notifies one SNS topic; `-c alarmEmail=...` subscribes an address to it."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        api: appsync.IGraphqlApi,
        function: lambda_.IFunction,
        other_alarms: Sequence[cloudwatch.Alarm] = (),
        stage: StageConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Topic", display_name=f"Gather {stage.name} alarms", enforce_ssl=True)
        if stage.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(stage.alarm_email))

        five_minutes = Duration.minutes(5)
        self.api_server_errors = cloudwatch.Alarm(
            self,
            "ApiServerErrors",
            alarm_description="AppSync answered with 5xx errors (its own failures, not GraphQL errors).",
            metric=cloudwatch.Metric(
                namespace="AWS/AppSync",
                metric_name="5XXError",
                dimensions_map={"GraphQLAPIId": api.api_id},
                statistic=cloudwatch.Stats.SUM,
                period=five_minutes,
            ),
            threshold=5,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        self.lambda_throttles = cloudwatch.Alarm(
            self,
            "LambdaThrottles",
            alarm_description="The resolver Lambda was throttled: requests failed for lack of concurrency.",
            metric=function.metric_throttles(statistic=cloudwatch.Stats.SUM, period=five_minutes),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        action = actions.SnsAction(self.topic)
        for alarm in (self.api_server_errors, self.lambda_throttles, *other_alarms):
            alarm.add_alarm_action(action)
            alarm.add_ok_action(action)
