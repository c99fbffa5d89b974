"""What importing the handler loads with Lambda's variables set: every new execution environment pays for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
LOADED = "import json, sys; import resolvers.handler; print(json.dumps(sorted(sys.modules)))"


def _modules_after_import() -> set[str]:
    environment = {**os.environ, "LAMBDA_TASK_ROOT": str(REPO_ROOT)}  # as in Lambda, where libraries act on it
    output = subprocess.run(
        [sys.executable, "-c", LOADED], env=environment, cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(output))


def test_the_x_ray_sdk_is_not_loaded() -> None:
    """Traces come from AppSync and Lambda's active tracing; the SDK (in maintenance) would patch botocore."""
    assert not {name for name in _modules_after_import() if name.startswith("aws_xray_sdk")}


def test_boto3_is_not_loaded() -> None:
    """The store's client comes from botocore: boto3 would add its S3 transfer manager and resources to every cold
    start, and the store writes DynamoDB's wire format itself."""
    assert not {name for name in _modules_after_import() if name.split(".")[0] in ("boto3", "s3transfer")}


def test_what_only_some_invocations_need_is_not_loaded_at_import() -> None:
    loaded = _modules_after_import()
    assert "resolvers.logic.validation" in loaded
    assert "zoneinfo" not in loaded  # only writes carry a time zone
    assert "aws_lambda_powertools.utilities.typing" not in loaded  # LambdaContext is an annotation only
    assert "resolvers.api_key_renewal" not in loaded  # a daily job's own handler
