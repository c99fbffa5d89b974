"""`make bench` runs every benchmark module, so a new one is not silently left out of the figures; the helpers
the benchmarks share measure what they say."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import available_timezones

import pytest

from benchmarks.__main__ import BENCHMARKS
from benchmarks.common import Measured, longest_time_zone
from resolvers.errors import FieldError
from resolvers.logic import validation

BENCHMARKS_DIR = Path(__file__).resolve().parent.parent / "benchmarks"
SHARED = {"__init__", "__main__", "common", "cold_start_probe"}
"""Helpers the benchmarks run, not benchmarks."""


def test_make_bench_runs_every_benchmark_module() -> None:
    modules = {path.stem for path in BENCHMARKS_DIR.glob("*.py")} - SHARED
    assert sorted(BENCHMARKS) == sorted(modules)


def test_the_worst_case_time_zone_is_the_longest_name_the_validation_accepts() -> None:
    zone = longest_time_zone()
    assert validation.time_zone(zone) == zone
    for name in available_timezones():
        if len(name.encode()) > len(zone.encode()):
            with pytest.raises(FieldError):
                validation.time_zone(name)


def test_measured_costs_are_put_down_to_the_field_that_made_the_call() -> None:
    costs = Measured()
    costs.units["Query.listEvents", "Query"] += 2.5
    costs.units["Query.listEvents", "BatchGetItem"] += 5
    costs.units["Event.comments", "BatchGetItem"] += 1
    costs.units["Mutation.rsvp", "TransactWriteItems"] += 6
    assert costs.read_units("Query.listEvents") == 7.5
    assert costs.read_units("Query.listEvents", "Event.comments") == costs.read == 8.5
    assert costs.write_units("Mutation.rsvp") == costs.write == 6
    assert costs.read_units("Event.host") == 0
