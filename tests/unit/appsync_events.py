"""The real handler, in process, on AppSync-shaped direct Lambda events over a moto table.

Events are built as AppSync builds them (``resolvers`` reads nothing else): arguments, the Cognito identity
of ``mirror.identity`` or None for the API key, the parent's record as ``source``, and ``info``. An error
is returned as its errorType, the name Lambda's runtime reports for a raised exception.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from mirror.identity import cognito_identity
from mirror.lambda_environment import LocalLambdaContext
from resolvers.errors import GatherError
from resolvers.function_settings import MEMORY_MB, SERVICE_NAME
from resolvers.handler import lambda_handler

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


@dataclass(frozen=True)
class Failed:
    """What AppSync would put in errors[]: the exception's class name and its message."""

    errorType: str  # noqa: N815 - AppSync's spelling
    message: str


def identity(user: str | None, groups: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """AppSync's identity for a signed-in user pools caller, or None (the API key)."""
    if user is None:
        return None
    claims = {"sub": user, "cognito:username": user, "name": user.title()}
    return cognito_identity(
        sub=user, username=user, claims=claims, groups=list(groups), issuer="https://cognito", source_ip="127.0.0.1"
    )


def field_event(
    parent: str,
    field: str,
    arguments: dict[str, Any] | None = None,
    *,
    user: str | None = None,
    groups: tuple[str, ...] = (),
    source: dict[str, Any] | None = None,
    selection: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "arguments": arguments or {},
        "identity": identity(user, groups),
        "source": source,
        "request": {"headers": {"x-amzn-requestid": f"request-{field}"}, "domainName": None},
        "info": {
            "fieldName": field,
            "parentTypeName": parent,
            "selectionSetGraphQL": "",
            "selectionSetList": list(selection),
            "variables": {},
        },
        "prev": None,
        "stash": {},
    }


class InProcessLambda:
    """Invokes ``resolvers.handler.lambda_handler`` as Lambda would, one event (or BatchInvoke list) at a time."""

    def invoke(self, event: dict[str, Any] | list[dict[str, Any]]) -> Any:
        context = LocalLambdaContext("in-process", time.time() + 10, SERVICE_NAME, MEMORY_MB)
        try:
            return lambda_handler(event, cast("LambdaContext", context))
        except GatherError as error:
            return Failed(type(error).__name__, str(error))

    def call(self, parent: str, field: str, arguments: dict[str, Any] | None = None, **options: Any) -> Any:
        return self.invoke(field_event(parent, field, arguments, **options))

    def batch(self, parent: str, field: str, sources: list[dict[str, Any]], **options: Any) -> Any:
        arguments = options.pop("arguments", None)
        return self.invoke([field_event(parent, field, arguments, source=source, **options) for source in sources])
