"""The Lambda entry point AppSync invokes for every field of Gather, single or batched."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import AppSyncResolver

from resolvers import snapstart  # noqa: F401 - registers SnapStart's runtime hooks, which Lambda finds at import
from resolvers.api import ROUTERS
from resolvers.errors import GatherError
from resolvers.observability import count_unexpected_error, invocation_keys, logger

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

app = AppSyncResolver()
for router in ROUTERS:
    app.include_router(router)


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any] | list[dict[str, Any]], context: LambdaContext) -> Any:
    keys = invocation_keys(event)
    logger.set_correlation_id(keys.pop("correlation_id"))
    logger.append_keys(**keys)
    try:
        return app.resolve(event, context)
    except GatherError as error:
        # The API's own answers (EventFull, NotFound, …): the client branches on them; they are not failures.
        logger.info("Refused", extra={"errorType": type(error).__name__})
        raise
    except Exception:
        logger.exception("Unexpected error")
        count_unexpected_error()
        raise
