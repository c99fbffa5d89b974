"""The Lambda behind every AppSync field: only `resolvers/`'s code, Powertools from AWS's public layer.

Packaging: before synthesis the `resolvers` package's ``.py`` files (no ``__pycache__``, no tests) are
copied into a clean directory under the cloud assembly (``cdk.out/.staging``), keeping the package folder so
``resolvers.handler`` imports as it does locally. That directory is the asset. Pointing ``Code.from_asset``
at the repository root with ignore globs would also work, but then the asset's content depends on whatever
else lies in the working tree (virtualenvs, node_modules, caches) unless every glob is right, and CDK
fingerprints the whole tree on every synth; copying an allow-list of files is explicit and fast.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from aws_cdk import Duration
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from cdk_app.nag import acknowledge
from cdk_app.stage import StageConfig
from cdk_app.table import GatherTable
from resolvers import function_settings
from resolvers.settings import TABLE_NAME_VARIABLE, TOKEN_SECRET_ARN_VARIABLE

RUNTIME: Final = lambda_.Runtime.PYTHON_3_14
ARCHITECTURE: Final = lambda_.Architecture.ARM_64
HANDLER: Final = function_settings.HANDLER

POWERTOOLS_VERSION: Final = "3.37.0"
"""Must equal the aws-lambda-powertools pin in pyproject.toml (a test checks the installed version)."""
POWERTOOLS_LAYER_PARAMETER: Final = (
    f"/aws/service/powertools/python/{ARCHITECTURE.name}/{RUNTIME.name}/{POWERTOOLS_VERSION}"
)
"""Public SSM parameter AWS publishes per Powertools release, holding that release's layer ARN in each region
(``arn:aws:lambda:<region>:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-arm64:<n>``). Resolving
it at deploy time pins the exact library version without guessing the layer's sequence number."""

MAX_CODE_BYTES: Final = 200_000
"""The function's own code stays small: dependencies come from the layer and the runtime (boto3)."""

DYNAMODB_TABLE_ACTIONS: Final = (
    "dynamodb:GetItem",
    "dynamodb:Query",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
)
"""TransactWriteItems has no IAM action of its own: each Put/Update/Delete/ConditionCheck in a
transaction is authorized as PutItem/UpdateItem/DeleteItem/ConditionCheckItem."""
DYNAMODB_INDEX_ACTIONS: Final = ("dynamodb:Query",)


def _is_shipped(path: Path, package: Path) -> bool:
    parts = path.relative_to(package).parts
    if any(part in {"__pycache__", "tests", "test"} for part in parts):
        return False
    return not (path.name.startswith("test_") or path.name.endswith("_test.py") or path.name == "conftest.py")


def stage_package(package: Path, staging_root: Path) -> Path:
    """Copies package's shippable .py files to ``staging_root/<package name>/``; returns staging_root."""
    if staging_root.exists():
        shutil.rmtree(staging_root)
    files = sorted(path for path in package.rglob("*.py") if _is_shipped(path, package))
    if not files:
        raise FileNotFoundError(f"No Python files to ship in {package}")
    total = 0
    for source in files:
        target = staging_root / package.name / source.relative_to(package)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        total += target.stat().st_size
    if total > MAX_CODE_BYTES:
        raise ValueError(f"{package.name} is {total} bytes; the Lambda's own code must stay under {MAX_CODE_BYTES}")
    return staging_root


@dataclass(frozen=True)
class CompanionFunction:
    """A function from the resolvers' asset with a job of its own, its own role and its own log group."""

    function: lambda_.Function
    role: iam.Role
    log_group: logs.LogGroup


class ResolverFunction(Construct):
    """The function, its role (its table, its secret, its log group, X-Ray: nothing else) and its secret."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        package: Path,
        staging_root: Path,
        table: GatherTable,
        stage: StageConfig,
    ) -> None:
        super().__init__(scope, construct_id)
        self.stage = stage

        self.token_secret = secretsmanager.Secret(
            self,
            "TokenSigningSecret",
            description="Signs Gather's pagination nextTokens so clients cannot forge or alter them.",
            generate_secret_string=secretsmanager.SecretStringGenerator(password_length=64, exclude_punctuation=True),
            removal_policy=stage.removal_policy,
        )
        acknowledge(
            self.token_secret,
            "AwsSolutions-SMG4",
            "The secret is an HMAC key for pagination cursors, not a credential to another system: rotating it "
            "only invalidates nextTokens in flight, so it is rotated by replacing the secret, not on a schedule.",
        )

        self.log_group = logs.LogGroup(
            self, "LogGroup", retention=stage.log_retention, removal_policy=stage.removal_policy
        )

        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Gather resolver Lambda: its table and index, its secret, its log group, X-Ray.",
        )
        self.role.add_to_policy(
            iam.PolicyStatement(actions=list(DYNAMODB_TABLE_ACTIONS), resources=[table.table.table_arn])
        )
        self.role.add_to_policy(iam.PolicyStatement(actions=list(DYNAMODB_INDEX_ACTIONS), resources=table.index_arns))
        self.token_secret.grant_read(self.role)
        self.log_group.grant_write(self.role)

        layer_arn = stage.powertools_layer_arn or ssm.StringParameter.value_for_string_parameter(
            self, POWERTOOLS_LAYER_PARAMETER
        )
        code_directory = stage_package(package, staging_root)
        self.code = lambda_.Code.from_asset(str(code_directory))
        """The staged asset; the stream consumer is a second function from the same code."""
        self.powertools = lambda_.LayerVersion.from_layer_version_arn(self, "Powertools", layer_arn)
        self.function = lambda_.Function(
            self,
            "Function",
            description="Resolves every field of the Gather GraphQL API (AppSync direct Lambda resolver).",
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=HANDLER,
            code=self.code,
            layers=[self.powertools],
            memory_size=function_settings.MEMORY_MB,
            timeout=Duration.seconds(function_settings.TIMEOUT_SECONDS),
            tracing=lambda_.Tracing.ACTIVE,
            # Every published version (the canary's alias calls only those) starts from a snapshot taken after
            # the init and resolvers/snapstart.py's priming; each restore then renews what copies must not share.
            snap_start=lambda_.SnapStartConf.ON_PUBLISHED_VERSIONS,
            role=self.role,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            environment={
                TABLE_NAME_VARIABLE: table.table.table_name,
                TOKEN_SECRET_ARN_VARIABLE: self.token_secret.secret_arn,
                "POWERTOOLS_SERVICE_NAME": function_settings.SERVICE_NAME,
                "POWERTOOLS_METRICS_NAMESPACE": function_settings.METRICS_NAMESPACE,
            },
        )
        acknowledge(
            self.function,
            "Annotation::@aws-cdk/aws-lambda:snapStartRequirePublish",
            "Every deployment publishes a version (cdk_app/release.py's alias points at current_version), and "
            "AppSync calls only that alias, so every invocation starts from a SnapStart snapshot.",
        )
        # Active tracing adds xray:PutTraceSegments/PutTelemetryRecords to the role's default policy.
        acknowledge(
            self.role,
            "AwsSolutions-IAM5[Resource::*]",
            "Only the X-Ray actions PutTraceSegments and PutTelemetryRecords use Resource '*': X-Ray supports no "
            "resource-level permissions. Every DynamoDB, Secrets Manager and Logs grant names its exact ARN.",
        )

    def companion(
        self,
        scope: Construct,
        *,
        description: str,
        role_description: str,
        handler: str,
        memory_mb: int,
        timeout_seconds: int,
        environment: Mapping[str, str],
        tracing: lambda_.Tracing | None = None,
    ) -> CompanionFunction:
        """Another function from this asset and layer (``Function``, ``Role``, ``LogGroup`` under ``scope``),
        logging as the resolvers do. Its role may write its log group and nothing else until scope grants more."""
        log_group = logs.LogGroup(
            scope, "LogGroup", retention=self.stage.log_retention, removal_policy=self.stage.removal_policy
        )
        role = iam.Role(
            scope, "Role", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"), description=role_description
        )
        log_group.grant_write(role)
        function = lambda_.Function(
            scope,
            "Function",
            description=description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            handler=handler,
            code=self.code,
            layers=[self.powertools],
            memory_size=memory_mb,
            timeout=Duration.seconds(timeout_seconds),
            tracing=tracing,
            role=role,
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            application_log_level_v2=lambda_.ApplicationLogLevel.INFO,
            system_log_level_v2=lambda_.SystemLogLevel.WARN,
            environment={
                **environment,
                "POWERTOOLS_SERVICE_NAME": function_settings.SERVICE_NAME,
                "POWERTOOLS_METRICS_NAMESPACE": function_settings.METRICS_NAMESPACE,
            },
        )
        return CompanionFunction(function=function, role=role, log_group=log_group)
