"""Where the app finds the files it deploys; every construct reads them from here, never from a copy."""

from __future__ import annotations

from pathlib import Path
from typing import Final

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
SCHEMA_FILE: Final = REPO_ROOT / "schema.graphql"
RESOLVERS_PACKAGE: Final = REPO_ROOT / "resolvers"
SPA_DIRECTORY: Final = REPO_ROOT / "single_page_app"
CDK_JSON: Final = REPO_ROOT / "cdk.json"
