"""cdk-nag's AwsSolutions pack on every synth, and the one way this app acknowledges a finding.

cdk-nag 3 is a CDK policy-validation plugin (``Validations``), not an Aspect: any finding, error or
warning, makes ``app.synth()`` (and so ``cdk synth``/``cdk deploy``) fail with a validation report.
Acknowledgments sit next to the construct they concern, each with the reason it is acceptable.
"""

from __future__ import annotations

import json
from typing import Any

from aws_cdk import Acknowledgment, App, Stack, Validations
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct


def enforce_aws_solutions(app: App) -> None:
    """Registers the pack once for the whole app; unacknowledged findings fail synthesis."""
    Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True))


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Accepts one finding (``AwsSolutions-XX`` or ``AwsSolutions-XX[finding]``) on scope and its children."""
    if len(reason) < 40:
        raise ValueError(f"Say specifically why {rule_id} is acceptable here (got {reason!r})")
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))


def flatten_reference(value: Any) -> str:
    """A resolved CloudFormation value as cdk-nag names it in finding ids (mirrors its flattenCfnReference):
    ``{"Fn::GetAtt": ["Bucket", "Arn"]}`` → ``<Bucket.Arn>``, ``${AWS::Region}`` → ``<AWS::Region>``."""
    if isinstance(value, str):
        return value.replace("${", "<").replace("}", ">")
    if isinstance(value, dict) and len(value) == 1:
        ((function, argument),) = value.items()
        flattened = _flatten_function(function, argument)
        if flattened is not None:
            return flattened
    return "" if value is None else json.dumps(value, separators=(",", ":"))


def _flatten_function(function: str, argument: Any) -> str | None:
    if function == "Fn::Join":
        delimiter, items = argument
        return str(delimiter).join(flatten_reference(item) for item in items)
    if function in ("Fn::Sub", "Fn::ImportValue"):
        return flatten_reference(argument)
    if function == "Fn::GetAtt":
        return f"<{flatten_reference(argument[0])}.{flatten_reference(argument[1])}>"
    if function == "Ref":
        return f"<{flatten_reference(argument)}>"
    return None


def wildcard_resource_finding(scope: IConstruct, resource: str) -> str:
    """The AwsSolutions-IAM5 finding id for a grant on ``resource`` (an ARN, tokens allowed) in scope's stack."""
    return f"AwsSolutions-IAM5[Resource::{flatten_reference(Stack.of(scope).resolve(resource))}]"
