"""The single DynamoDB table, built from the same definition the local stack and the Lambda use."""

from __future__ import annotations

from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from cdk_app.stage import StageConfig
from resolvers.table_definition import TableDefinition


def _string_key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class GatherTable(Construct):
    """On-demand, point-in-time recovery always; deletion protection and RETAIN in production."""

    def __init__(self, scope: Construct, construct_id: str, *, definition: TableDefinition, stage: StageConfig) -> None:
        super().__init__(scope, construct_id)
        self.definition = definition
        self.table = dynamodb.TableV2(
            self,
            "Table",
            partition_key=_string_key(definition.partition_key),
            sort_key=_string_key(definition.sort_key),
            global_secondary_indexes=[
                dynamodb.GlobalSecondaryIndexPropsV2(
                    index_name=index.name,
                    partition_key=_string_key(index.partition_key),
                    sort_key=_string_key(index.sort_key),
                    projection_type=dynamodb.ProjectionType(index.projection["ProjectionType"]),
                    non_key_attributes=index.projection.get("NonKeyAttributes"),
                )
                for index in definition.global_indexes
            ],
            billing=dynamodb.Billing.on_demand(),
            dynamo_stream=dynamodb.StreamViewType(definition.stream_view_type),
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            deletion_protection=stage.deletion_protection,
            removal_policy=stage.removal_policy,
            # The design has no expiring items today; a `ttl_attribute` on the definition turns TTL on.
            time_to_live_attribute=getattr(definition, "ttl_attribute", None),
        )

    @property
    def index_arns(self) -> list[str]:
        """ARNs of the global secondary indexes the Lambda queries (not a wildcard over all indexes)."""
        return [self.index_arn(index.name) for index in self.definition.global_indexes]

    def index_arn(self, name: str) -> str:
        return f"{self.table.table_arn}/index/{name}"
