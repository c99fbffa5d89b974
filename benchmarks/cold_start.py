"""Cold start: importing the handler module, as a ratio to `import boto3` alone, in fresh interpreters.

The handler is imported with the variables Lambda's runtime sets, because its libraries behave differently
there: the X-Ray SDK (under powertools' Tracer) uses Lambda's local sampler inside Lambda, but outside it
builds a client for X-Ray's sampling API at import. Both figures are printed; the target is Lambda's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from benchmarks.common import figure, heading, median

RUNS = 11
PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
LAMBDA_VARIABLES = {
    "LAMBDA_TASK_ROOT": str(Path(__file__).resolve().parent.parent),
    "AWS_LAMBDA_FUNCTION_NAME": "gather-cold-start",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
    "_HANDLER": "resolvers.handler.lambda_handler",
}


def _import_seconds(module: str, extra: dict[str, str] | None = None) -> float:
    output = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(extra or {})},
    ).stdout
    return float(output)


def main() -> None:
    heading("Cold start  [target: handler import <= 1.3x import boto3, with Lambda's environment variables]")
    boto3_times, handler_times, outside_times = [], [], []
    for _ in range(RUNS):  # interleaved, so all see the same machine
        boto3_times.append(_import_seconds("boto3"))
        handler_times.append(_import_seconds("resolvers.handler", LAMBDA_VARIABLES))
        outside_times.append(_import_seconds("resolvers.handler"))
    boto3_median, handler_median, outside_median = median(boto3_times), median(handler_times), median(outside_times)
    figure(f"import boto3 (median of {RUNS})", f"{boto3_median * 1000:.1f} ms")
    figure(f"import resolvers.handler, as in Lambda (median of {RUNS})", f"{handler_median * 1000:.1f} ms")
    figure(f"import resolvers.handler, outside Lambda (median of {RUNS})", f"{outside_median * 1000:.1f} ms")
    figure("ratio handler / boto3, as in Lambda", f"{handler_median / boto3_median:.2f}x", "(target <= 1.30x)")
    figure("ratio handler / boto3, outside Lambda", f"{outside_median / boto3_median:.2f}x")


if __name__ == "__main__":
    main()
