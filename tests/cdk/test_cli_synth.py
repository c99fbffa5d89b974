"""The README's `npx cdk synth` works from the repo root, offline, with the pinned 2.x CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cdk_app.paths import REPO_ROOT


def test_cdk_cli_synthesizes_the_stack_offline(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",  # cdk.json runs python3
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CDK_DISABLE_VERSION_CHECK": "1",
    }
    completed = subprocess.run(
        ["npx", "--no-install", "cdk", "synth", "--quiet", "--output", str(tmp_path)],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    template = json.loads((tmp_path / "Gather-dev.template.json").read_text())
    types = {resource["Type"] for resource in template["Resources"].values()}
    assert {"AWS::AppSync::GraphQLApi", "AWS::Lambda::Function", "AWS::DynamoDB::GlobalTable"} <= types
