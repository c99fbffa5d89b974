"""Runs every benchmark and prints its figures: `python -m benchmarks` (or `make bench`).

Each runs in a process of its own, as it does alone: the inline ones run the handler in their own process,
which then is that handler's one Lambda environment, with its clients built for that benchmark's stack.
"""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = (
    "round_trips",
    "capacity",
    "costs",
    "cold_start",
    "asset_size",
    "latency",
    "fairness",
    "realtime",
    "reload",
    "spa_cold_load",
    "memory",
)


def main() -> None:
    failed = [
        name
        for name in BENCHMARKS
        if subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], check=False).returncode != 0
    ]
    if failed:
        sys.exit(f"benchmarks that did not finish: {', '.join(failed)}")


if __name__ == "__main__":
    main()
