"""One cold start in this fresh interpreter, timed from before the first import; prints wall and CPU seconds.

``python benchmarks/cold_start_probe.py MODE``, run by ``benchmarks.cold_start`` with Lambda's variables. It
imports nothing but the standard library before its timer starts, and puts ``LAMBDA_TASK_ROOT`` first on the
module path, as Lambda's bootstrap does, so the handler comes from the code asset as CDK stages it.

| MODE       | what is timed                                                                            |
|------------|------------------------------------------------------------------------------------------|
| `boto3`    | `import boto3`                                                                           |
| `floor`    | `import boto3` and creating one DynamoDB client: any Python Lambda that reads DynamoDB    |
| `import`   | importing the handler's module                                                           |
| `cold`     | importing it and its first invocation (``COLD_START_EVENT``), every lazy client included  |
| `restored` | the hooks Lambda runs after a SnapStart restore, then the first invocation (the handler   |
|            | imported and the before-snapshot hooks run before the timer starts)                       |
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from typing import Any


class _Context:
    """The attributes of Lambda's context object that the handler and powertools read."""

    aws_request_id = "cold-start"
    function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "cold-start")
    function_version = "$LATEST"
    memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"))
    invoked_function_arn = f"arn:aws:lambda:{os.environ['AWS_REGION']}:000000000000:function:{function_name}"
    log_group_name = f"/aws/lambda/{function_name}"
    log_stream_name = "cold-start"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def _handler() -> Any:
    module, function = os.environ["_HANDLER"].rsplit(".", 1)
    return getattr(importlib.import_module(module), function)


def _invoke(handler: Any) -> None:
    result = handler(json.loads(os.environ["COLD_START_EVENT"]), _Context())
    if result is None:
        raise SystemExit("the first invocation found nothing: the benchmark reads a stored event")


REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main(mode: str) -> None:
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    if mode == "restored":
        sys.path.append(REPO_ROOT)  # after the task root, whose resolvers package wins
        from mirror.lambda_environment import load_function, run_after_restore_hooks

        handler = load_function(os.environ["_HANDLER"])
    wall, cpu = time.perf_counter(), time.process_time()
    if mode == "boto3":
        import boto3
    elif mode == "floor":
        import boto3

        boto3.client("dynamodb")
    elif mode == "import":
        _handler()
    elif mode == "cold":
        _invoke(_handler())
    elif mode == "restored":
        failure = run_after_restore_hooks()
        if failure is not None:
            raise SystemExit(failure["errorMessage"])
        _invoke(handler)
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))


if __name__ == "__main__":
    main(sys.argv[1])
