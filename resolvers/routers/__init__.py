"""One powertools Router per area of the API; each resolver is a thin call into ``resolvers.logic``."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.graphql_appsync.router import Router

from resolvers.identity import Caller, require_caller


def signed_in_caller(router: Router) -> Caller:
    """The verified user behind the current field, or SignInRequired."""
    event = router.current_event
    return require_caller(event.get("identity") if event is not None else None)


def selection(router: Router) -> list[str]:
    """AppSync's selectionSetList of the current field: what the caller asked for."""
    event = router.current_event
    return list(event.info.selection_set_list) if event is not None else []
