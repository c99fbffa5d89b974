"""The public API key never lapses: a daily job extends it, and an alarm says so if it ever gets close anyway.

The job is a small function from the resolvers' asset with a handler of its own (``resolvers.api_key_renewal``),
run by an EventBridge rule once a day and once at every deployment (a CDK trigger), so its first report comes
at once instead of a day later. It may update that one key and nothing else; it writes its own log group, and
its metric travels in that log (CloudWatch's embedded metric format), so it needs no CloudWatch permission.

The alarm watches the days left that each run reports: fewer than ``API_KEY_ALARM_DAYS``, or no report at
all (a failing or stopped job) over two daily periods, notify the alarms topic. Two periods, not one,
because a daily run lands anywhere within its day: one period may hold no report while all is well.
"""

from __future__ import annotations

from typing import Final

from aws_cdk import Duration, triggers
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from constructs import Construct

from cdk_app.graphql_api import GatherApi
from cdk_app.nag import acknowledge
from cdk_app.resolver_function import ResolverFunction
from cdk_app.stage import StageConfig
from resolvers import function_settings
from resolvers.api_settings import API_KEY_ALARM_DAYS
from resolvers.function_settings import API_KEY_RENEWAL
from resolvers.settings import API_ID_VARIABLE, API_KEY_ID_VARIABLE

RENEWAL_ACTIONS: Final = ("appsync:UpdateApiKey",)
ALARM_PERIODS: Final = 2
"""Daily periods that must all lack a healthy report before the alarm fires."""


class ApiKeyRenewal(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        api: GatherApi,
        resolvers: ResolverFunction,
        stage: StageConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        key = api.api_key_resource

        companion = resolvers.companion(
            self,
            description="Extends the Gather API's public key a year ahead and reports the days it has left.",
            role_description="Gather API key renewal: updates the public key, writes its own log group.",
            handler=API_KEY_RENEWAL.handler,
            memory_mb=API_KEY_RENEWAL.memory_mb,
            timeout_seconds=API_KEY_RENEWAL.timeout_seconds,
            environment={API_ID_VARIABLE: api.api.api_id, API_KEY_ID_VARIABLE: key.attr_api_key_id},
        )
        self.function, self.role, self.log_group = companion.function, companion.role, companion.log_group
        self.role.add_to_policy(iam.PolicyStatement(actions=list(RENEWAL_ACTIONS), resources=[key.attr_arn]))

        self.schedule = events.Rule(
            self,
            "Daily",
            description="Renews the Gather API's public key once a day.",
            schedule=events.Schedule.rate(Duration.days(API_KEY_RENEWAL.interval_days)),
            targets=[targets.LambdaFunction(self.function, retry_attempts=2)],
        )
        self.on_deploy = triggers.Trigger(self, "OnDeploy", handler=self.function, execute_after=[key])
        acknowledge(
            self.function,
            "Annotation::@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias",
            "The daily rule invokes the unqualified function through its resource policy; the deploy trigger "
            "invokes the current version through its own role's identity policy, which names the version ARNs.",
        )

        self.alarm = cloudwatch.Alarm(
            self,
            "DaysLeft",
            alarm_description=(
                f"The public API key has fewer than {API_KEY_ALARM_DAYS} days left, or its daily renewal has not "
                "reported: renew it (redeploy, or run the renewal function) before anonymous readers are locked out."
            ),
            metric=cloudwatch.Metric(
                namespace=function_settings.METRICS_NAMESPACE,
                metric_name=API_KEY_RENEWAL.days_left_metric,
                dimensions_map={"service": function_settings.SERVICE_NAME},
                statistic=cloudwatch.Stats.MINIMUM,
                period=Duration.days(API_KEY_RENEWAL.interval_days),
            ),
            threshold=API_KEY_ALARM_DAYS,
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            evaluation_periods=ALARM_PERIODS,
            datapoints_to_alarm=ALARM_PERIODS,
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        )
