"""`make bench` runs every benchmark module, so a new one is not silently left out of the figures."""

from __future__ import annotations

from pathlib import Path

from benchmarks.__main__ import BENCHMARKS

BENCHMARKS_DIR = Path(__file__).resolve().parent.parent / "benchmarks"
SHARED = {"__init__", "__main__", "common", "cold_start_probe"}
"""Helpers the benchmarks run, not benchmarks."""


def test_make_bench_runs_every_benchmark_module() -> None:
    modules = {path.stem for path in BENCHMARKS_DIR.glob("*.py")} - SHARED
    assert sorted(BENCHMARKS) == sorted(modules)
