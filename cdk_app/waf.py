"""A regional WAF web ACL on the AppSync API: one client IP cannot flood the API (or the bill)."""

from __future__ import annotations

from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from cdk_app.stage import StageConfig

RATE_WINDOW_SECONDS = 300


def _visibility(metric_name: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
    return wafv2.CfnWebACL.VisibilityConfigProperty(
        cloud_watch_metrics_enabled=True, metric_name=metric_name, sampled_requests_enabled=True
    )


class ApiFirewall(Construct):
    """Blocks an IP for as long as it sends more than the stage's limit of requests in 5 minutes."""

    def __init__(self, scope: Construct, construct_id: str, *, api: appsync.IGraphqlApi, stage: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.web_acl = wafv2.CfnWebACL(
            self,
            "WebAcl",
            scope="REGIONAL",
            description="Gather API: per-IP rate limit",
            default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            visibility_config=_visibility(f"gather-{stage.name}-api"),
            rules=[
                wafv2.CfnWebACL.RuleProperty(
                    name="RateLimitPerIp",
                    priority=0,
                    action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                    statement=wafv2.CfnWebACL.StatementProperty(
                        rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                            aggregate_key_type="IP",
                            limit=stage.api_rate_limit,
                            evaluation_window_sec=RATE_WINDOW_SECONDS,
                        )
                    ),
                    visibility_config=_visibility(f"gather-{stage.name}-rate-limit"),
                )
            ],
        )
        self.association = wafv2.CfnWebACLAssociation(
            self, "Association", resource_arn=api.arn, web_acl_arn=self.web_acl.attr_arn
        )
