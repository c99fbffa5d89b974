"""What every local AWS endpoint (DynamoDB Local, the local Cognito) is reached with, written once.

Local endpoints accept any credentials, but boto3 refuses to sign without some and without a region; these
fake ones never leave loopback. The npm packages (DynamoDB Local, the playground's GraphiQL) are found in one
node_modules too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final, TypedDict

LOCAL_REGION: Final = "us-east-1"
FAKE_CREDENTIALS: Final = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}
"""As environment variables; ``boto3_credentials()`` gives them as client arguments."""
NODE_MODULES_VARIABLE: Final = "GATHER_NODE_MODULES"
REPO_ROOT: Final = Path(__file__).resolve().parent.parent


class ClientArguments(TypedDict):
    aws_access_key_id: str
    aws_secret_access_key: str
    region_name: str


def boto3_credentials() -> ClientArguments:
    """Keyword arguments for ``boto3.client``/``Session`` on a local endpoint: fake keys and the local region."""
    return {
        "aws_access_key_id": FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "region_name": LOCAL_REGION,
    }


def node_modules() -> Path:
    """The node_modules `npm ci` fills at the repository root, unless the environment names another."""
    configured = os.environ.get(NODE_MODULES_VARIABLE)
    return Path(configured) if configured else REPO_ROOT / "node_modules"
