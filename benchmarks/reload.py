"""Reload on save: time from saving a resolver to the first request served by the new code.

The stack runs as `gather dev` does (four Lambda environments, reload on), its Lambda from a copy of
``resolvers/`` that the benchmark edits; a client asks the same query back to back and the clock stops at
the first answer the edited code gave.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.common import figure, heading, median
from local_stack.stack import StackOptions, running_stack
from mirror.app import PROJECT_ROOT

RUNS = 5
QUERY = '{ getEvent(id: "no-such-event") { id } }'
ORIGINAL = "    return events.get_event(store(), id)"
EDITED = '    raise KeyError("edited")'


def _served_by_edit(http: httpx.Client) -> bool:
    errors = http.post("/graphql", json={"query": QUERY}).json().get("errors") or []
    return any(error["errorType"] == "KeyError" for error in errors)


def main() -> None:
    heading("Reload on save  [target: save to first request on new code <= 2 s]")
    with tempfile.TemporaryDirectory() as directory:
        code_dir = Path(directory)
        shutil.copytree(
            PROJECT_ROOT / "resolvers", code_dir / "resolvers", ignore=shutil.ignore_patterns("__pycache__")
        )
        router = code_dir / "resolvers" / "routers" / "events.py"
        source = router.read_text()
        options = StackOptions(
            port=0, data_dir=None, table_name="bench-reload", seed=False, code_dir=code_dir, reload=True
        )
        with running_stack(options) as stack:
            http = httpx.Client(base_url=stack.base_url, headers={"x-api-key": stack.api_key}, timeout=30)
            timings = []
            for run in range(RUNS * 2):
                edit = run % 2 == 0
                saved = time.perf_counter()
                router.write_text(source.replace(ORIGINAL, EDITED) if edit else source)
                while _served_by_edit(http) != edit:
                    pass
                timings.append(time.perf_counter() - saved)
            http.close()
    figure(
        f"save to first request on new code (median of {len(timings)})", f"{median(timings):.2f} s", "(target <= 2 s)"
    )
    figure("slowest", f"{max(timings):.2f} s")


if __name__ == "__main__":
    main()
