"""Synthesizes the Gather app in-process, once per stage per test run: no AWS account, no network."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from aws_cdk import App, Environment
from aws_cdk.assertions import Template

from cdk_app.app import build
from cdk_app.paths import CDK_JSON
from cdk_app.stack import GatherStack

ACCOUNT = "123456789012"
CERTIFICATE_ARN = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Synthesized:
    stack: GatherStack
    template: Template
    outdir: Path

    @property
    def template_file(self) -> Path:
        return self.outdir / self.stack.template_file

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        resources: dict[str, dict[str, Any]] = self.template.to_json()["Resources"]
        return resources

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {key: value for key, value in self.resources.items() if value["Type"] == resource_type}

    def only(self, resource_type: str) -> tuple[str, dict[str, Any]]:
        found = self.of_type(resource_type)
        assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
        return next(iter(found.items()))

    def logical_id(self, construct: Any) -> str:
        return str(self.stack.get_logical_id(construct.node.default_child))


def cdk_json_context() -> dict[str, Any]:
    """The same context (feature flags) the CLI passes from cdk.json, so tests synthesize what `cdk synth` does."""
    context: dict[str, Any] = json.loads(CDK_JSON.read_text())["context"]
    return context


def synthesize(outdir: Path, region: str, **context: str) -> Synthesized:
    app = App(outdir=str(outdir), context={**cdk_json_context(), **context})
    stack = build(app, env=Environment(account=ACCOUNT, region=region))
    app.synth()  # runs cdk-nag: raises if any finding is not acknowledged
    return Synthesized(stack=stack, template=Template.from_stack(stack), outdir=outdir)


@pytest.fixture(scope="session")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize(tmp_path_factory.mktemp("cdk-dev"), "eu-west-1", stage="dev")


@pytest.fixture(scope="session")
def prod(tmp_path_factory: pytest.TempPathFactory) -> Synthesized:
    return synthesize(
        tmp_path_factory.mktemp("cdk-prod"),
        "us-east-1",
        stage="prod",
        spaDomainName="events.example.org",
        spaCertificateArn=CERTIFICATE_ARN,
        alarmEmail="ops@example.org",
    )


@pytest.fixture(scope="session", params=["dev", "prod"])
def synthesized(request: pytest.FixtureRequest) -> Synthesized:
    """Both stages, for properties that hold whatever the stage."""
    result: Synthesized = request.getfixturevalue(request.param)
    return result
