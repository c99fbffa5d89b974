"""CDK entry point (`cdk.json` runs `python3 -m cdk_app.app`): one Gather stack for the chosen stage."""

from __future__ import annotations

import os
from pathlib import Path

from aws_cdk import App, Environment, Tags

from cdk_app.nag import enforce_aws_solutions
from cdk_app.stack import GatherStack
from cdk_app.stage import stage_from_context


def default_environment() -> Environment:
    """The CLI's account and region when it has credentials; otherwise an environment-agnostic stack."""
    return Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION"))


def build(app: App, *, env: Environment | None = None) -> GatherStack:
    """Adds the stage's stack to app, with cdk-nag's AwsSolutions checks on everything in it."""
    enforce_aws_solutions(app)
    stage = stage_from_context(app.node)
    stack = GatherStack(
        app,
        stage.stack_name,
        stage=stage,
        staging_root=Path(app.outdir).resolve() / ".staging" / stage.stack_name / "resolver-code",
        env=env or default_environment(),
        description=f"Gather community events ({stage.name}): AppSync, Lambda, DynamoDB, Cognito, SPA",
    )
    Tags.of(stack).add("project", "gather")
    Tags.of(stack).add("stage", stage.name)
    return stack


def main() -> None:
    app = App()
    build(app)
    app.synth()


if __name__ == "__main__":
    main()
