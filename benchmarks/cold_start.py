"""Cold start: importing the handler module, as a ratio to `import boto3` alone, in fresh interpreters.

The handler is imported as Lambda imports it: from the code asset exactly as CDK stages it (``.py`` files
only), in a directory where no bytecode is cached or written, because Lambda's ``/var/task`` is read-only
and the asset carries none: every cold start compiles Gather's own modules. (Importing from the working
tree instead would read whatever ``__pycache__`` earlier runs left there, so the figure would depend on
the machine.) Libraries are imported from the virtualenv with their installed bytecode, as the runtime's
boto3 and the Powertools layer are.

It is imported with the variables Lambda's runtime sets, because its libraries behave differently
there: the X-Ray SDK (under powertools' Tracer) uses Lambda's local sampler inside Lambda, but outside it
builds a client for X-Ray's sampling API at import. Both figures are printed; the target is Lambda's.
A third figure imports only the libraries, set up as the handler sets them up (powertools' event handler;
Logger, Metrics and Tracer patching botocore, from ``resolvers.observability``): what the handler costs
before any of Gather's resolvers, stores or logic load.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import figure, heading, median
from cdk_app.paths import RESOLVERS_PACKAGE
from cdk_app.resolver_function import stage_package

RUNS = 21
PROBE = "import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"
HANDLER = "resolvers.handler"
LIBRARIES = "aws_lambda_powertools.event_handler, resolvers.observability"
LAMBDA_VARIABLES = {
    "AWS_LAMBDA_FUNCTION_NAME": "gather-cold-start",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
    "_HANDLER": "resolvers.handler.lambda_handler",
}


def _import_seconds(modules: str, task_root: Path | None = None, lambda_variables: bool = False) -> float:
    """One fresh interpreter's import; with a task root, from there as Lambda does (no bytecode cache)."""
    environment = {**os.environ}
    if task_root is not None:
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
    if lambda_variables:
        environment.update(LAMBDA_VARIABLES, LAMBDA_TASK_ROOT=str(task_root))
    output = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=modules)],
        capture_output=True,
        text=True,
        check=True,
        cwd=task_root,
        env=environment,
    ).stdout
    return float(output)


def main() -> None:
    heading("Cold start  [target: handler import <= 1.3x import boto3, with Lambda's environment variables]")
    boto3_times, handler_times, libraries_times, outside_times = [], [], [], []
    with tempfile.TemporaryDirectory() as staging:
        task_root = stage_package(RESOLVERS_PACKAGE, Path(staging) / "task")
        for _ in range(RUNS):  # interleaved, so all see the same machine
            boto3_times.append(_import_seconds("boto3"))
            handler_times.append(_import_seconds(HANDLER, task_root, lambda_variables=True))
            libraries_times.append(_import_seconds(LIBRARIES, task_root, lambda_variables=True))
            outside_times.append(_import_seconds(HANDLER, task_root))
    boto3_median, handler_median = median(boto3_times), median(handler_times)
    libraries_median, outside_median = median(libraries_times), median(outside_times)
    figure(f"import boto3 (median of {RUNS})", f"{boto3_median * 1000:.1f} ms")
    figure(f"import resolvers.handler, as in Lambda (median of {RUNS})", f"{handler_median * 1000:.1f} ms")
    figure(f"its libraries alone, as in Lambda (median of {RUNS})", f"{libraries_median * 1000:.1f} ms")
    figure(f"import resolvers.handler, outside Lambda (median of {RUNS})", f"{outside_median * 1000:.1f} ms")
    figure("ratio handler / boto3, as in Lambda", f"{handler_median / boto3_median:.2f}x", "(target <= 1.30x)")
    figure("ratio libraries alone / boto3, as in Lambda", f"{libraries_median / boto3_median:.2f}x")
    figure("ratio handler / boto3, outside Lambda", f"{outside_median / boto3_median:.2f}x")


if __name__ == "__main__":
    main()
