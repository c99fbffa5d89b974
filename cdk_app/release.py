"""Safe releases: AppSync calls an alias, and CodeDeploy moves it to a new version through a canary.

This is AWS's recommended gradual deployment for Lambda (what SAM's DeploymentPreference generates): every
deploy that changes the function publishes a version; CodeDeploy sends 10 % of the alias's traffic to it
for a few minutes, then the rest, and rolls the alias back if the rollback alarm fires meanwhile.
"""

from __future__ import annotations

from typing import Final

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_codedeploy as codedeploy
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from cdk_app.nag import acknowledge
from cdk_app.stage import StageConfig
from resolvers import function_settings

ALIAS_NAME: Final = "live"

CANARY_CONFIGS: Final[dict[int, codedeploy.ILambdaDeploymentConfig]] = {
    5: codedeploy.LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES,
    10: codedeploy.LambdaDeploymentConfig.CANARY_10_PERCENT_10_MINUTES,
    15: codedeploy.LambdaDeploymentConfig.CANARY_10_PERCENT_15_MINUTES,
    30: codedeploy.LambdaDeploymentConfig.CANARY_10_PERCENT_30_MINUTES,
}


class CanaryRelease(Construct):
    """The `live` alias, its CodeDeploy deployment group, and the alarm that rolls a bad version back."""

    def __init__(self, scope: Construct, construct_id: str, *, function: lambda_.Function, stage: StageConfig) -> None:
        super().__init__(scope, construct_id)
        if stage.canary_minutes not in CANARY_CONFIGS:
            raise ValueError(f"canary_minutes must be one of {sorted(CANARY_CONFIGS)}")
        self.alias = lambda_.Alias(self, "Alias", alias_name=ALIAS_NAME, version=function.current_version)

        # The handler raises the API's own errors (EventFull, VersionConflict, …) out of the function, so Lambda's
        # Errors metric counts business outcomes too. The handler's own metric counts only exceptions that are not
        # a GatherError, per version: one of those from the version under canary is a bug, and rolls it back.
        self.rollback_alarm = cloudwatch.Alarm(
            self,
            "NewVersionUnexpectedErrors",
            alarm_description="The Lambda version under canary raised unexpected errors (bugs); CodeDeploy rolls back.",
            metric=cloudwatch.Metric(
                namespace=function_settings.METRICS_NAMESPACE,
                metric_name=function_settings.UNEXPECTED_ERRORS_METRIC,
                dimensions_map={
                    "service": function_settings.SERVICE_NAME,
                    function_settings.VERSION_DIMENSION: function.current_version.version,
                },
                statistic=cloudwatch.Stats.SUM,
                period=Duration.minutes(1),
            ),
            threshold=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )

        self.deployment_group = codedeploy.LambdaDeploymentGroup(
            self,
            "DeploymentGroup",
            alias=self.alias,
            deployment_config=CANARY_CONFIGS[stage.canary_minutes],
            alarms=[self.rollback_alarm],
            auto_rollback=codedeploy.AutoRollbackConfig(
                failed_deployment=True, stopped_deployment=True, deployment_in_alarm=True
            ),
        )
        acknowledge(
            self.deployment_group,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]",
            "CodeDeploy's service role uses AWSCodeDeployRoleForLambdaLimited, the AWS-maintained policy for Lambda "
            "deployments: it can only invoke hook functions named CodeDeployHook_* and update aliases.",
        )
