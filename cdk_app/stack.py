"""The whole of Gather on AWS in one stack; read top to bottom, it is the table of contents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_app.alarms import OperationalAlarms
from cdk_app.api_key_renewal import ApiKeyRenewal
from cdk_app.auth import GatherAuth
from cdk_app.graphql_api import GatherApi
from cdk_app.paths import RESOLVERS_PACKAGE, SCHEMA_FILE
from cdk_app.release import CanaryRelease
from cdk_app.resolver_function import ResolverFunction
from cdk_app.spa_hosting import SpaHosting
from cdk_app.stage import StageConfig
from cdk_app.stream_consumer import StreamConsumer
from cdk_app.table import GatherTable
from cdk_app.waf import ApiFirewall
from mirror.appsync_sdl import appsync_schema
from mirror.field_accounting import check_fields, field_sources
from resolvers.api import ROUTERS, served_fields
from resolvers.table_definition import GATHER_TABLE

OUTPUTS = {
    "GraphqlUrl": "AppSync GraphQL endpoint (HTTPS)",
    "RealtimeUrl": "AppSync real-time endpoint (WebSocket) for subscriptions",
    "SpaUrl": "The web app",
    "UserPoolId": "Cognito user pool",
    "UserPoolClientId": "Cognito app client the SPA signs in with (public, no secret)",
    "ApiKey": "Public API key for anonymous reads (the SPA ships it in config.json)",
    "Region": "Region of the API and the user pool",
}


class GatherStack(Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, stage: StageConfig, staging_root: Path, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, termination_protection=stage.is_production, **kwargs)
        # Every schema field served or read from its parent's record, every resolver on a schema field; else no synth.
        check_fields(appsync_schema(SCHEMA_FILE), served_fields(), field_sources(ROUTERS))

        self.stage = stage
        self.table = table = GatherTable(self, "Data", definition=GATHER_TABLE, stage=stage)
        self.auth = auth = GatherAuth(self, "Auth", stage=stage)
        self.resolvers = resolvers = ResolverFunction(
            self, "Resolvers", package=RESOLVERS_PACKAGE, staging_root=staging_root, table=table, stage=stage
        )
        self.consumer = consumer = StreamConsumer(self, "StreamConsumer", table=table, resolvers=resolvers, stage=stage)
        self.release = release = CanaryRelease(self, "Release", function=resolvers.function, stage=stage)
        self.api = api = GatherApi(
            self,
            "GraphQL",
            schema_file=SCHEMA_FILE,
            served_fields=served_fields(),
            handler=release.alias,
            user_pool=auth.user_pool,
            stage=stage,
        )
        consumer.publish_to(api.api)
        self.key_renewal = key_renewal = ApiKeyRenewal(self, "ApiKeyRenewal", api=api, resolvers=resolvers, stage=stage)
        self.firewall = ApiFirewall(self, "Firewall", api=api.api, stage=stage)
        self.spa = spa = SpaHosting(self, "Spa", spa_directory=stage.spa_directory, api=api, auth=auth, stage=stage)
        self.alarms = OperationalAlarms(
            self,
            "Alarms",
            api=api.api,
            function=resolvers.function,
            other_alarms=[release.rollback_alarm, *consumer.alarms, key_renewal.alarm],
            stage=stage,
        )

        values = {
            "GraphqlUrl": api.graphql_url,
            "RealtimeUrl": api.realtime_url,
            "SpaUrl": spa.url,
            "UserPoolId": auth.user_pool.user_pool_id,
            "UserPoolClientId": auth.client.user_pool_client_id,
            "ApiKey": api.api_key,
            "Region": self.region,
        }
        for name, description in OUTPUTS.items():
            CfnOutput(self, name, value=values[name], description=description)
