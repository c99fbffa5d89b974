"""What every benchmark needs: fake AWS credentials, a running stack, and a way to print a figure."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

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


@contextmanager
def consumed_capacity(client: Any, note: Callable[[str, float], None]) -> Iterator[None]:
    """For the block, every call of ``client`` asks DynamoDB for its consumed capacity (``ReturnConsumedCapacity``,
    added by a botocore hook here, not by the product), and ``note(operation, units)`` hears each call's."""

    def ask(params: dict[str, Any], **_: Any) -> None:
        params["ReturnConsumedCapacity"] = "TOTAL"

    def answered(parsed: dict[str, Any], model: Any, **_: Any) -> None:
        consumed = parsed.get("ConsumedCapacity") or []
        entries = consumed if isinstance(consumed, list) else [consumed]
        note(model.name, sum(entry.get("CapacityUnits", 0.0) for entry in entries))

    client.meta.events.register("before-parameter-build.dynamodb", ask)
    client.meta.events.register("after-call.dynamodb", answered)
    try:
        yield
    finally:
        client.meta.events.unregister("after-call.dynamodb", answered)
        client.meta.events.unregister("before-parameter-build.dynamodb", ask)
