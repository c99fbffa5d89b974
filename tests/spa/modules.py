"""Runs the SPA's own ES modules in Node, as the browser would import them, and returns what a script prints.

For the SPA's modules that need no DOM (permissions, operations, password rules): their unit tests run in
seconds, without Chromium. The script receives ``spa`` (the folder's file URL, ending in "/") and ``input``
(JSON given by the test), and prints one JSON value.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

SPA_DIR = Path(__file__).resolve().parents[2] / "single_page_app"
PRELUDE = "const spa = {spa}; const input = JSON.parse(process.argv[1]);\n"


def run_spa_script(script: str, given: Any = None, spa_dir: Path = SPA_DIR) -> Any:
    """Runs ``script`` (an ES module body that may ``await import(spa + 'permissions.js')``) and parses its output."""
    node = shutil.which("node")
    assert node, "Node.js runs the SPA's module tests (make test installs it with npm)"
    source = PRELUDE.format(spa=json.dumps(spa_dir.resolve().as_uri() + "/")) + script
    completed = subprocess.run(
        [node, "--input-type=module", "--eval", source, json.dumps(given)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)
