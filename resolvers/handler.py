"""The Lambda entry point AppSync invokes for every field of Gather, single or batched."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import AppSyncResolver
from aws_lambda_powertools.utilities.typing import LambdaContext

from resolvers.routers import comments, events, seats, users

ROUTERS = (events.router, seats.router, comments.router, users.router)

app = AppSyncResolver()
for router in ROUTERS:
    app.include_router(router)


def lambda_handler(event: dict[str, Any] | list[dict[str, Any]], context: LambdaContext) -> Any:
    return app.resolve(event, context)
