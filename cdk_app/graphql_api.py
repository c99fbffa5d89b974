"""The AppSync API: `schema.graphql` as is, one direct Lambda data source, a resolver per served field.

Auth: the default mode and the additional ones come from `resolvers/api_settings.py`, which the mirror reads
too. API key by default, because reading events needs no account; Cognito user pools as an additional mode
for signed-in writes; IAM for the stream consumer's publish (the schema's `@aws_api_key`/`@aws_cognito_user_pools`
/`@aws_iam` directives pick per field).

Logging: request-level logs (status, latency, resolver count) plus field logs at ERROR, without verbose
content, so no headers, variables or resolved values, and therefore no personal data, reach CloudWatch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aws_cdk import Expiration
from aws_cdk import aws_appsync as appsync
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from cdk_app.nag import acknowledge
from cdk_app.stage import StageConfig
from resolvers import api_settings

API_KEY_LIFETIME = timedelta(days=api_settings.API_KEY_LIFETIME_DAYS)
"""Every deploy sets the expiry this far from the start of the synth's UTC day (so synthesizing twice in a day
gives the same template); between deploys the daily renewal job (cdk_app/api_key_renewal.py) keeps it there."""


def api_key_expiration(now: datetime | None = None) -> Expiration:
    today = (now or datetime.now(UTC)).replace(hour=0, minute=0, second=0, microsecond=0)
    return Expiration.at_date(today + API_KEY_LIFETIME)


def _authorization_modes(user_pool: cognito.IUserPool) -> Mapping[str, Callable[[], appsync.AuthorizationMode]]:
    return {
        "API_KEY": lambda: appsync.AuthorizationMode(
            authorization_type=appsync.AuthorizationType.API_KEY,
            api_key_config=appsync.ApiKeyConfig(
                description="Public key the SPA and anonymous readers use", expires=api_key_expiration()
            ),
        ),
        "AMAZON_COGNITO_USER_POOLS": lambda: appsync.AuthorizationMode(
            authorization_type=appsync.AuthorizationType.USER_POOL,
            user_pool_config=appsync.UserPoolConfig(user_pool=user_pool),
        ),
        "AWS_IAM": lambda: appsync.AuthorizationMode(authorization_type=appsync.AuthorizationType.IAM),
    }


def authorization_config(user_pool: cognito.IUserPool) -> appsync.AuthorizationConfig:
    """AppSync's auth modes as `api_settings` names them, so the deployed API and the mirror agree."""
    modes = _authorization_modes(user_pool)
    names = (api_settings.DEFAULT_AUTH_MODE, *api_settings.ADDITIONAL_AUTH_MODES)
    unknown = [name for name in names if name not in modes]
    if unknown:
        raise ValueError(f"No AppSync auth mode for {unknown} in api_settings")
    return appsync.AuthorizationConfig(
        default_authorization=modes[api_settings.DEFAULT_AUTH_MODE](),
        additional_authorization_modes=[modes[name]() for name in api_settings.ADDITIONAL_AUTH_MODES],
    )


def resolver_id(type_name: str, field_name: str) -> str:
    return f"{type_name}{field_name[:1].upper()}{field_name[1:]}Resolver"


class GatherApi(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        schema_file: Path,
        served_fields: Mapping[tuple[str, str], int | None],
        handler: lambda_.IFunction,
        user_pool: cognito.IUserPool,
        stage: StageConfig,
    ) -> None:
        """served_fields: (type, field) → maxBatchSize (None: one invocation per field), from the registry."""
        super().__init__(scope, construct_id)

        # AppSync writes its logs with this role; it may only write to the API's own log group (below).
        log_role = iam.Role(self, "LogRole", assumed_by=iam.ServicePrincipal("appsync.amazonaws.com"))

        self.api = appsync.GraphqlApi(
            self,
            "Api",
            name=f"gather-{stage.name}",
            definition=appsync.Definition.from_file(str(schema_file)),
            authorization_config=authorization_config(user_pool),
            xray_enabled=True,
            query_depth_limit=api_settings.QUERY_DEPTH_LIMIT,
            resolver_count_limit=api_settings.RESOLVER_COUNT_LIMIT,
            introspection_config=(
                appsync.IntrospectionConfig.ENABLED if stage.introspection else appsync.IntrospectionConfig.DISABLED
            ),
        )
        # Logging is set on the L1 resource: the L2 `log_config` would add a LogRetention custom resource (a
        # Lambda) that races this stack's own log group for the name. AppSync logs to /aws/appsync/apis/<id>;
        # creating that group here gives it a retention and removes it with the stage.
        self.cfn_api.log_config = appsync.CfnGraphQLApi.LogConfigProperty(
            cloud_watch_logs_role_arn=log_role.role_arn,
            field_log_level=appsync.FieldLogLevel.ERROR.value,
            exclude_verbose_content=True,
        )
        acknowledge(
            self.api,
            "AwsSolutions-ASC3",
            "Request-level logging is on (CloudWatch role set, field logs at ERROR); the rule also demands verbose "
            "content, which would log request headers, variables and identity claims: personal data we keep out.",
        )
        self.log_group = logs.LogGroup(
            self,
            "LogGroup",
            log_group_name=f"/aws/appsync/apis/{self.api.api_id}",
            retention=stage.log_retention,
            removal_policy=stage.removal_policy,
        )
        self.log_group.grant_write(log_role)

        self.data_source = self.api.add_lambda_data_source(
            "ResolverFunction", handler, description="The Gather resolver Lambda's live alias (direct resolver)"
        )
        self.resolvers: dict[tuple[str, str], appsync.Resolver] = {}
        for (type_name, field_name), max_batch_size in sorted(served_fields.items()):
            self.resolvers[(type_name, field_name)] = self.data_source.create_resolver(
                resolver_id(type_name, field_name),
                type_name=type_name,
                field_name=field_name,
                max_batch_size=max_batch_size,
            )

    @property
    def cfn_api(self) -> appsync.CfnGraphQLApi:
        child = self.api.node.default_child
        assert isinstance(child, appsync.CfnGraphQLApi)
        return child

    @property
    def graphql_url(self) -> str:
        return self.api.graphql_url

    @property
    def realtime_url(self) -> str:
        return self.cfn_api.attr_realtime_url

    @property
    def graphql_host(self) -> str:
        return self.cfn_api.attr_graph_ql_dns

    @property
    def realtime_host(self) -> str:
        return self.cfn_api.attr_realtime_dns

    @property
    def api_key_resource(self) -> appsync.CfnApiKey:
        """The public key's own resource (its id and ARN), which the L2 API creates as ``DefaultApiKey``."""
        child = self.api.node.find_child("DefaultApiKey")
        assert isinstance(child, appsync.CfnApiKey)
        return child

    @property
    def api_key(self) -> str:
        """The public API key's value (it ships to every browser in config.json, so it is no secret)."""
        key = self.api.api_key
        if key is None:
            raise RuntimeError("The API has no API key auth mode; api_settings must name API_KEY")
        return key
