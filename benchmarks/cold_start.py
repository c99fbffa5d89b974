"""Cold start: importing the handler module, as a ratio to `import boto3` alone, in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.common import figure, heading, median

RUNS = 11
PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def _import_seconds(module: str) -> float:
    output = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)], capture_output=True, text=True, check=True
    ).stdout
    return float(output)


def main() -> None:
    heading("Cold start  [target: handler import <= 1.3x import boto3]")
    boto3_times, handler_times = [], []
    for _ in range(RUNS):  # interleaved, so both see the same machine
        boto3_times.append(_import_seconds("boto3"))
        handler_times.append(_import_seconds("resolvers.handler"))
    boto3_median, handler_median = median(boto3_times), median(handler_times)
    figure(f"import boto3 (median of {RUNS})", f"{boto3_median * 1000:.1f} ms")
    figure(f"import resolvers.handler (median of {RUNS})", f"{handler_median * 1000:.1f} ms")
    figure("ratio handler / boto3", f"{handler_median / boto3_median:.2f}x", "(target <= 1.30x)")


if __name__ == "__main__":
    main()
