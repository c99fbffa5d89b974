"""Runs every benchmark and prints its figures: `python -m benchmarks` (or `make bench`)."""

from __future__ import annotations

from benchmarks import (
    asset_size,
    capacity,
    cold_start,
    fairness,
    latency,
    memory,
    realtime,
    reload,
    round_trips,
    spa_cold_load,
)


def main() -> None:
    for benchmark in (
        round_trips,
        capacity,
        cold_start,
        asset_size,
        latency,
        fairness,
        realtime,
        reload,
        spa_cold_load,
        memory,
    ):
        benchmark.main()


if __name__ == "__main__":
    main()
