"""The Lambda code asset exactly as CDK stages it: its size unzipped and zipped, against the 200 KB budget."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from benchmarks.common import figure, heading
from cdk_app.resolver_function import stage_package

PACKAGE = Path(__file__).resolve().parent.parent / "resolvers"
BUDGET = 200_000


def main() -> None:
    heading("Lambda code asset  [target: <= 200 KB]")
    with tempfile.TemporaryDirectory() as staging:
        root = stage_package(PACKAGE, Path(staging) / "asset")
        files = sorted(p for p in root.rglob("*") if p.is_file())
        unzipped = sum(p.stat().st_size for p in files)
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in files:
                bundle.write(path, path.relative_to(root))
    figure(f"{len(files)} files, unzipped", f"{unzipped / 1000:.1f} KB", f"({unzipped / BUDGET:.0%} of budget)")
    figure("as uploaded (zip)", f"{len(archive.getvalue()) / 1000:.1f} KB")


if __name__ == "__main__":
    main()
