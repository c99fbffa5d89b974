"""The SPA: a private S3 bucket, CloudFront in front (origin access control), and deploy-time config.json.

Caching, by what a file is:

| files                            | Cache-Control                                   | CloudFront          |
|----------------------------------|-------------------------------------------------|---------------------|
| `index.html`, `config.json`      | `no-store`                                      | caching disabled    |
| `assets/**` (fingerprinted)      | `public, max-age=31536000, immutable`           | a year              |
| everything else (static files)   | `public, max-age=0, s-maxage=31536000, must-revalidate` | a year      |

The SPA today ships plain ES modules without content hashes, so browsers revalidate those (a cheap 304 from
the edge) while CloudFront keeps them for a year; each deploy invalidates `/*`, so the edge never serves a
stale file. Anything a build step fingerprints into `assets/` is cached for a year in browsers too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

from aws_cdk import DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from cdk_app.auth import GatherAuth
from cdk_app.graphql_api import GatherApi
from cdk_app.nag import acknowledge, wildcard_resource_finding
from cdk_app.stage import StageConfig
from spa_contract.config_json import ClientConfig, client_config
from spa_contract.csp import content_security_policy

ENTRY_FILES: Final = ("index.html", "config.json")
FINGERPRINTED_PREFIX: Final = "assets/"
ONE_YEAR: Final = Duration.days(365)


def spa_config(api: GatherApi, auth: GatherAuth) -> ClientConfig:
    """What the SPA reads from /config.json; the endpoints are deploy-time tokens."""
    return client_config(
        graphql_url=api.graphql_url,
        realtime_url=api.realtime_url,
        region=Stack.of(api).region,
        api_key=api.api_key,
        auth={
            "userPoolId": auth.user_pool.user_pool_id,
            "userPoolClientId": auth.client.user_pool_client_id,
            "cognitoEndpoint": auth.cognito_endpoint,
        },
    )


def _bootstrap_asset_bucket_name(scope: Construct) -> str:
    """The CDK bootstrap bucket BucketDeployment reads from, named as DefaultStackSynthesizer names it."""
    stack = Stack.of(scope)
    synthesizer = stack.synthesizer
    assert isinstance(synthesizer, DefaultStackSynthesizer), "the stack uses the default synthesizer"
    name = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
        "${Qualifier}", synthesizer.bootstrap_qualifier or DefaultStackSynthesizer.DEFAULT_QUALIFIER
    )
    if not Token.is_unresolved(stack.account):
        name = name.replace("${AWS::AccountId}", stack.account)
    if not Token.is_unresolved(stack.region):
        name = name.replace("${AWS::Region}", stack.region)
    return name


class SpaHosting(Construct):
    """The SPA's files in a private bucket, served by CloudFront with strict headers; config.json deployed last."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spa_directory: Path,
        api: GatherApi,
        auth: GatherAuth,
        stage: StageConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        if not (spa_directory / "index.html").is_file():
            raise FileNotFoundError(f"No SPA to deploy: {spa_directory / 'index.html'} does not exist")
        self._handler_acknowledged = False

        self.bucket = self._private_bucket(stage)
        headers = self._security_headers(api, auth)
        self.distribution = self._distribution(headers, stage)
        domain = stage.custom_domain
        self.url = f"https://{domain.domain_name if domain else self.distribution.distribution_domain_name}"
        self.entry_deployment = self._deploy_files(spa_directory, spa_config(api, auth), stage)

    def _private_bucket(self, stage: StageConfig) -> s3.Bucket:
        """Reachable only through CloudFront (origin access control) and the deployment."""
        bucket = s3.Bucket(
            self,
            "Bucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            removal_policy=stage.removal_policy,
            auto_delete_objects=stage.removal_policy == RemovalPolicy.DESTROY,
        )
        acknowledge(
            bucket,
            "AwsSolutions-S1",
            "No server access logs by design: the bucket only serves CloudFront (OAC) and the deployment, and "
            "per-request logs would record visitors' IP addresses, personal data Gather chooses not to keep.",
        )
        return bucket

    def _security_headers(self, api: GatherApi, auth: GatherAuth) -> cloudfront.ResponseHeadersPolicy:
        """The CSP (the same builder the local stack serves), HSTS and the usual security headers."""
        return cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment="Gather SPA: strict CSP, HSTS and the usual security headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=content_security_policy(
                        api_origin=f"https://{api.graphql_host}",
                        realtime_origin=f"wss://{api.realtime_host}",
                        cognito_endpoint=auth.cognito_endpoint,
                    ),
                    override=True,
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(730), include_subdomains=True, preload=True, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override=True
                ),
                # The legacy XSS auditor is itself an attack surface; the CSP does this job.
                xss_protection=cloudfront.ResponseHeadersXSSProtection(protection=False, override=True),
            ),
            custom_headers_behavior=cloudfront.ResponseCustomHeadersBehavior(
                custom_headers=[
                    cloudfront.ResponseCustomHeader(
                        header="Permissions-Policy",
                        value="camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
                        override=True,
                    ),
                    cloudfront.ResponseCustomHeader(
                        header="Cross-Origin-Opener-Policy", value="same-origin", override=True
                    ),
                    cloudfront.ResponseCustomHeader(
                        header="Cross-Origin-Resource-Policy", value="same-origin", override=True
                    ),
                ]
            ),
        )

    def _distribution(self, headers: cloudfront.IResponseHeadersPolicy, stage: StageConfig) -> cloudfront.Distribution:
        """Entry files uncached, the rest by their Cache-Control; client-side routes answered with index.html."""
        # Honors the origin's Cache-Control (min TTL 0), so no-store objects are never kept at the edge.
        static_files = cloudfront.CachePolicy(
            self,
            "StaticFilesCachePolicy",
            comment="Gather SPA static files: TTL from Cache-Control, up to a year",
            min_ttl=Duration.seconds(0),
            default_ttl=Duration.days(1),
            max_ttl=ONE_YEAR,
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        origin = origins.S3BucketOrigin.with_origin_access_control(self.bucket)

        def behavior(cache_policy: cloudfront.ICachePolicy) -> cloudfront.BehaviorOptions:
            return cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                compress=True,
                cache_policy=cache_policy,
                response_headers_policy=headers,
            )

        domain = stage.custom_domain
        distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"Gather SPA ({stage.name})",
            default_root_object="index.html",
            default_behavior=behavior(static_files),
            additional_behaviors={
                f"/{name}": behavior(cloudfront.CachePolicy.CACHING_DISABLED) for name in ENTRY_FILES
            },
            # Client-side routes (/events/<id>, /new) are not objects: S3 answers 403 (no ListBucket) or 404.
            error_responses=[
                cloudfront.ErrorResponse(
                    http_status=status,
                    response_http_status=200,
                    response_page_path="/index.html",
                    ttl=Duration.seconds(0),
                )
                for status in (403, 404)
            ],
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            domain_names=[domain.domain_name] if domain else None,
            certificate=(
                acm.Certificate.from_certificate_arn(self, "Certificate", domain.certificate_arn) if domain else None
            ),
            minimum_protocol_version=cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if domain else None,
        )
        self._acknowledge_distribution(distribution, custom_domain=domain is not None)
        return distribution

    def _deploy_files(self, spa_directory: Path, config: ClientConfig, stage: StageConfig) -> s3deploy.BucketDeployment:
        """Static files first, then index.html and config.json once everything they reference is in place, then
        an invalidation. Returns the entry files' deployment."""
        deployment_logs = logs.LogGroup(
            self, "DeploymentLogs", retention=stage.log_retention, removal_policy=stage.removal_policy
        )
        files = s3deploy.Source.asset(str(spa_directory), exclude=["config.json"])

        def deploy(
            construct_id: str,
            sources: list[s3deploy.ISource],
            cache_control: list[s3deploy.CacheControl],
            **filters: Any,
        ) -> s3deploy.BucketDeployment:
            deployment = s3deploy.BucketDeployment(
                self,
                construct_id,
                destination_bucket=self.bucket,
                sources=sources,
                cache_control=cache_control,
                prune=True,  # files a filter excludes are neither copied nor pruned by this deployment
                log_group=deployment_logs,
                **filters,
            )
            self._acknowledge_deployment_handler(deployment)
            return deployment

        static = [
            deploy(
                "StaticFiles",
                [files],
                [
                    s3deploy.CacheControl.set_public(),
                    s3deploy.CacheControl.max_age(Duration.seconds(0)),
                    s3deploy.CacheControl.s_max_age(ONE_YEAR),
                    s3deploy.CacheControl.must_revalidate(),
                ],
                exclude=[*ENTRY_FILES, f"{FINGERPRINTED_PREFIX}*"],
            )
        ]
        if (spa_directory / FINGERPRINTED_PREFIX).is_dir():
            static.append(
                deploy(
                    "FingerprintedFiles",
                    [files],
                    [
                        s3deploy.CacheControl.set_public(),
                        s3deploy.CacheControl.max_age(ONE_YEAR),
                        s3deploy.CacheControl.immutable(),
                    ],
                    exclude=["*"],
                    include=[f"{FINGERPRINTED_PREFIX}*"],
                )
            )
        # config.json goes through Source.data, built by the same builder as the local stack's; Source.data
        # resolves the deploy-time tokens, and none of their values needs JSON escaping.
        entry = deploy(
            "EntryFiles",
            [files, s3deploy.Source.data("config.json", json.dumps(config, indent=2))],
            [s3deploy.CacheControl.no_store()],
            exclude=["*"],
            include=list(ENTRY_FILES),
            distribution=self.distribution,
            distribution_paths=["/*"],
        )
        for deployment in static:
            entry.node.add_dependency(deployment)
        return entry

    def _acknowledge_distribution(self, distribution: cloudfront.Distribution, *, custom_domain: bool) -> None:
        acknowledge(
            distribution,
            "AwsSolutions-CFR1",
            "Gather lists community events for anyone, anywhere; there is no country the SPA must not reach.",
        )
        acknowledge(
            distribution,
            "AwsSolutions-CFR2",
            "The distribution serves static files only. The rate-limiting web ACL sits on the AppSync API, where "
            "requests cost money and touch data; a CloudFront ACL would have to live in us-east-1 (another stack).",
        )
        acknowledge(
            distribution,
            "AwsSolutions-CFR3",
            "No CloudFront access logs by design: they would record every visitor's IP address and user agent, "
            "personal data Gather chooses not to keep. CloudFront's aggregate metrics remain available.",
        )
        if not custom_domain:
            acknowledge(
                distribution,
                "AwsSolutions-CFR4",
                "Without a custom domain CloudFront serves *.cloudfront.net with its default certificate, whose "
                "security policy AWS fixes; set spaDomainName and spaCertificateArn to get TLSv1.2_2021 minimum.",
            )

    def _acknowledge_deployment_handler(self, deployment: s3deploy.BucketDeployment) -> None:
        """BucketDeployment's handler is one CDK-managed Lambda per stack; these findings concern its code and
        the grants aws-cdk-lib gives it, which this app cannot narrow."""
        if self._handler_acknowledged:
            return
        self._handler_acknowledged = True
        role = deployment.handler_role
        handler = role.node.scope
        assert handler is not None
        acknowledge(
            handler,
            "AwsSolutions-L1",
            "The BucketDeployment handler is aws-cdk-lib's own Lambda; its runtime moves with the aws-cdk-lib pin.",
        )
        acknowledge(
            role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
            "aws-cdk-lib gives its BucketDeployment handler the basic execution policy to write its own logs.",
        )
        for action in ("s3:GetBucket*", "s3:GetObject*", "s3:List*", "s3:Abort*", "s3:DeleteObject*"):
            acknowledge(
                role,
                f"AwsSolutions-IAM5[Action::{action}]",
                "aws-cdk-lib's BucketDeployment grants these S3 action groups to read the asset bucket and to "
                "copy into and prune the SPA bucket; they are scoped to those two buckets' objects.",
            )
        asset_objects = Stack.of(self).format_arn(
            service="s3", region="", account="", resource=f"{_bootstrap_asset_bucket_name(self)}/*"
        )
        acknowledge(
            role,
            wildcard_resource_finding(self, asset_objects),
            "The BucketDeployment handler reads the SPA's zip from the CDK bootstrap asset bucket.",
        )
        acknowledge(
            role,
            wildcard_resource_finding(self, self.bucket.arn_for_objects("*")),
            "The BucketDeployment handler writes and prunes the SPA's files: every object of the SPA bucket.",
        )
        acknowledge(
            role,
            "AwsSolutions-IAM5[Resource::*]",
            "aws-cdk-lib grants cloudfront:CreateInvalidation/GetInvalidation on '*' for the post-deploy "
            "invalidation of the SPA distribution.",
        )
