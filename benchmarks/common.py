"""What every benchmark needs: fake AWS credentials, a running stack, and a way to print a figure."""

from __future__ import annotations

import os
import statistics
from collections.abc import Sequence

from local_stack.local_aws import FAKE_CREDENTIALS, LOCAL_REGION

# Fake credentials: benchmarks only ever talk to DynamoDB Local on loopback.
os.environ.update(FAKE_CREDENTIALS, AWS_DEFAULT_REGION=LOCAL_REGION)
os.environ.pop("AWS_PROFILE", None)
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


def figure(name: str, value: str, target: str = "") -> None:
    print(f"  {name:<58} {value:>22}  {target}", flush=True)


def heading(title: str) -> None:
    print(f"\n{title}", flush=True)


def percentile(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)
