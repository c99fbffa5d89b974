"""One botocore session per execution environment, behind every AWS client the functions make.

botocore, not boto3: importing anything of boto3 (even ``boto3.dynamodb.types``) imports its S3 transfer
manager and its resource layer, which the functions never use, and every cold start would pay for them.
boto3's ``client()`` is this same session's ``create_client``; credentials and region come from the
environment as Lambda sets them (or, under SnapStart, from its container credentials endpoint, renewed by
botocore before they expire). One session resolves them once, and loads each service's model once.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, cast

from botocore.session import Session, get_session

if TYPE_CHECKING:
    from botocore.config import Config
    from mypy_boto3_dynamodb.client import DynamoDBClient


@cache
def session() -> Session:
    return get_session()


def dynamodb_client(config: Config | None = None) -> DynamoDBClient:
    return cast("DynamoDBClient", session().create_client("dynamodb", config=config))


def client(service: str) -> Any:
    """A client of a service the functions call once or rarely (Secrets Manager), untyped: no stubs for it."""
    return session().create_client(service)
