"""The dev/prod switch: everything that differs between a throwaway stack and the one people rely on.

Chosen with ``cdk deploy -c stage=dev|prod`` (default dev). Optional context keys refine a stage:

| context key          | effect                                                                 |
|----------------------|------------------------------------------------------------------------|
| `introspection`      | `true`/`false`: overrides the stage's introspection default            |
| `alarmEmail`         | subscribes this address to the alarm topic                             |
| `spaDomainName`      | serves the SPA on this name (needs `spaCertificateArn`, us-east-1 ACM)  |
| `spaCertificateArn`  | the ACM certificate for `spaDomainName`; enables TLS 1.2+ only viewers  |
| `powertoolsLayerArn` | uses this Powertools layer ARN instead of the pinned SSM parameter      |
| `spaDirectory`       | deploys the SPA from this folder instead of `single_page_app/`          |
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from aws_cdk import RemovalPolicy, aws_logs
from constructs import Node

from cdk_app.paths import SPA_DIRECTORY

STAGE_CONTEXT_KEY: Final = "stage"
DEFAULT_STAGE: Final = "dev"


@dataclass(frozen=True)
class CustomDomain:
    """A name for the SPA; CloudFront only enforces TLS 1.2+ for viewers with a certificate of our own."""

    domain_name: str
    certificate_arn: str


@dataclass(frozen=True)
class StageConfig:
    name: str
    removal_policy: RemovalPolicy
    """RETAIN keeps data (table, user pool, secret, bucket, logs) when the stack or a resource goes away."""
    deletion_protection: bool
    log_retention: aws_logs.RetentionDays
    introspection: bool
    """Off in prod: the schema is no secret (it is in the repo) but there is no reason to serve it."""
    api_rate_limit: int
    """Requests per client IP in any 5-minute window before WAF blocks it."""
    canary_minutes: int
    """How long a new Lambda version serves 10 % of traffic before it gets the rest (5, 10, 15 or 30)."""
    alarm_email: str | None = None
    custom_domain: CustomDomain | None = None
    powertools_layer_arn: str | None = None
    spa_directory: Path = SPA_DIRECTORY

    @property
    def is_production(self) -> bool:
        return self.name == "prod"

    @property
    def stack_name(self) -> str:
        return f"Gather-{self.name}"


STAGES: Final[dict[str, StageConfig]] = {
    "dev": StageConfig(
        name="dev",
        removal_policy=RemovalPolicy.DESTROY,
        deletion_protection=False,
        log_retention=aws_logs.RetentionDays.ONE_WEEK,
        introspection=True,
        api_rate_limit=1000,
        canary_minutes=5,
    ),
    "prod": StageConfig(
        name="prod",
        removal_policy=RemovalPolicy.RETAIN,
        deletion_protection=True,
        log_retention=aws_logs.RetentionDays.THREE_MONTHS,
        introspection=False,
        api_rate_limit=2000,
        canary_minutes=10,
    ),
}


def _flag(value: object, key: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes"}:
        return True
    if text in {"false", "0", "no"}:
        return False
    raise ValueError(f"Context {key}={value!r} is not true or false")


def _text(node: Node, key: str) -> str | None:
    value = node.try_get_context(key)
    return None if value in (None, "") else str(value)


def stage_from_context(node: Node) -> StageConfig:
    """The stage named by ``-c stage=..``, refined by the optional context keys in the module docstring."""
    name = _text(node, STAGE_CONTEXT_KEY) or DEFAULT_STAGE
    if name not in STAGES:
        raise ValueError(f"Unknown stage {name!r}; use one of {', '.join(sorted(STAGES))}")
    stage = STAGES[name]

    introspection = node.try_get_context("introspection")
    if introspection not in (None, ""):
        stage = replace(stage, introspection=_flag(introspection, "introspection"))

    domain_name, certificate_arn = _text(node, "spaDomainName"), _text(node, "spaCertificateArn")
    if bool(domain_name) != bool(certificate_arn):
        raise ValueError("Set spaDomainName and spaCertificateArn together (the certificate must be in us-east-1)")
    if domain_name and certificate_arn:
        stage = replace(stage, custom_domain=CustomDomain(domain_name, certificate_arn))

    spa_directory = _text(node, "spaDirectory")
    return replace(
        stage,
        alarm_email=_text(node, "alarmEmail"),
        powertools_layer_arn=_text(node, "powertoolsLayerArn"),
        spa_directory=Path(spa_directory).resolve() if spa_directory else stage.spa_directory,
    )
