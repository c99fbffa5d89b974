"""Cold start as a user feels it: the handler's import plus its first invocation, against the floor of any
Python Lambda that reads DynamoDB (``import boto3`` and one DynamoDB client), in fresh interpreters.

The first invocation is a ``getEvent`` of a stored event over DynamoDB Local, so it pays for everything built
on first use: the store and its DynamoDB client, the settings, the first request. The handler is imported
as Lambda imports it: from the code asset exactly as CDK stages it (``.py`` files only), in a directory where
no bytecode is cached or written, because Lambda's ``/var/task`` is read-only and the asset carries none.
Libraries come from the virtualenv with their installed bytecode, as the runtime's boto3 and the Powertools
layer do. Lambda's variables are set, as its runtime sets them.

With SnapStart, what runs before the snapshot is paid once per published version, not per cold start: the
restored figure times the hooks that run after a restore plus the first invocation. (Lambda's own restore of
the snapshot comes on top and cannot be measured here.) AppSync calls the function's alias, a published
version with SnapStart, so the restored figure is the cold start a user of the API meets; import plus first
invocation is what a function without SnapStart (or its unpublished ``$LATEST``) pays. Both are printed
against the target. Each probe is ``benchmarks/cold_start_probe.py``;
wall time is what a request waits, CPU time the same work without the load of a shared machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from benchmarks.common import figure, heading, median
from cdk_app.paths import RESOLVERS_PACKAGE
from cdk_app.release import ALIAS_NAME
from cdk_app.resolver_function import stage_package
from local_stack.dynamodb_local import DynamoDBLocal
from local_stack.local_aws import FAKE_CREDENTIALS, LOCAL_REGION, boto3_credentials
from local_stack.tables import ensure_table
from resolvers import function_settings
from resolvers.identity import Caller
from resolvers.inputs import EventInput
from resolvers.logic import events
from resolvers.settings import TABLE_NAME_VARIABLE, TOKEN_SECRET_VARIABLE
from resolvers.store import GatherStore

RUNS = 15
PROBE = Path(__file__).with_name("cold_start_probe.py")
MODES = ("boto3", "floor", "import", "cold", "restored")
TABLE = "bench-cold-start"
TARGET = 1.3
LAMBDA_VARIABLES = {
    "AWS_LAMBDA_FUNCTION_NAME": "gather-cold-start",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function_settings.MEMORY_MB),
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.14",
    "_HANDLER": function_settings.HANDLER,
}


def _get_event(event_id: str) -> dict[str, Any]:
    """``getEvent`` as AppSync's direct Lambda resolver sends it, with the API key."""
    return {
        "arguments": {"id": event_id},
        "identity": None,
        "source": None,
        "request": {"headers": {function_settings.REQUEST_ID_HEADER: "cold-start"}, "domainName": None},
        "info": {
            "fieldName": "getEvent",
            "parentTypeName": "Query",
            "selectionSetGraphQL": "{ id title startsAt attendeeCount }",
            "selectionSetList": ["id", "title", "startsAt", "attendeeCount"],
            "variables": {},
        },
        "prev": None,
        "stash": {},
    }


def _stored_event(store: GatherStore) -> str:
    starts = datetime.now(UTC) + timedelta(days=7)
    event: EventInput = {
        "title": "Cold start",
        "venue": "Here",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=2)).isoformat(),
        "capacity": 10,
    }
    return events.create_event(store, Caller("host-1", "Host"), event, datetime.now(UTC))["id"]


def _store(endpoint: str) -> GatherStore:
    client = boto3.client("dynamodb", endpoint_url=endpoint, **boto3_credentials())
    ensure_table(client, TABLE)
    return GatherStore(TABLE, client)


def _probe(mode: str, environment: dict[str, str], task_root: Path) -> tuple[float, float]:
    output = subprocess.run(
        [sys.executable, str(PROBE), mode], capture_output=True, text=True, check=True, cwd=task_root, env=environment
    ).stdout
    timing = json.loads(output.splitlines()[-1])  # the handler's own log lines come first
    return timing["wall"], timing["cpu"]


def main() -> None:
    heading(f"Cold start  [target: a cold start <= {TARGET}x the floor, import boto3 + one DynamoDB client]")
    samples: dict[str, list[tuple[float, float]]] = {mode: [] for mode in MODES}
    with DynamoDBLocal() as dynamodb, tempfile.TemporaryDirectory() as staging:
        store = _store(dynamodb.endpoint)
        event_id = _stored_event(store)
        task_root = stage_package(RESOLVERS_PACKAGE, Path(staging) / "task")
        environment = {
            **os.environ,
            **LAMBDA_VARIABLES,
            **FAKE_CREDENTIALS,
            "AWS_DEFAULT_REGION": LOCAL_REGION,
            "AWS_REGION": LOCAL_REGION,
            "AWS_ENDPOINT_URL_DYNAMODB": dynamodb.endpoint,
            "LAMBDA_TASK_ROOT": str(task_root),
            "PYTHONDONTWRITEBYTECODE": "1",
            TABLE_NAME_VARIABLE: TABLE,
            TOKEN_SECRET_VARIABLE: "cold-start-benchmark",
            "COLD_START_EVENT": json.dumps(_get_event(event_id)),
        }
        environment.pop("PYTHONPATH", None)
        for _ in range(RUNS):  # interleaved, so all see the same machine
            for mode in MODES:
                samples[mode].append(_probe(mode, environment, task_root))

    wall = {mode: median([sample[0] for sample in samples[mode]]) for mode in MODES}
    cpu = {mode: median([sample[1] for sample in samples[mode]]) for mode in MODES}

    def shown(mode: str) -> str:
        return f"{wall[mode] * 1000:.0f} ms (CPU {cpu[mode] * 1000:.0f} ms)"

    figure(f"import boto3 (median of {RUNS})", shown("boto3"))
    figure("import boto3 + one DynamoDB client: the floor", shown("floor"))
    figure("import resolvers.handler", shown("import"))
    figure("import resolvers.handler + first getEvent", shown("cold"))
    figure("SnapStart: after-restore hooks + first getEvent", shown("restored"))
    for name, mode in (
        (f"as felt on AWS: the API calls the {ALIAS_NAME} alias, a version restored by SnapStart", "restored"),
        ("without SnapStart (an unpublished $LATEST, or SnapStart off)", "cold"),
    ):
        ratio, cpu_ratio = wall[mode] / wall["floor"], cpu[mode] / cpu["floor"]
        verdict = "meets" if max(ratio, cpu_ratio) <= TARGET else "MISSES"
        figure(
            f"cold start / floor, {name}", f"{ratio:.2f}x (CPU {cpu_ratio:.2f}x)", f"target <= {TARGET:.2f}x: {verdict}"
        )
    figure("ratio handler import / import boto3", f"{wall['import'] / wall['boto3']:.2f}x")
    print(
        "  (Lambda's own restore of the snapshot comes on top of the SnapStart figure and cannot be measured here)",
        flush=True,
    )


if __name__ == "__main__":
    main()
