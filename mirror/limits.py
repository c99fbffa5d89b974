"""AppSync's per-request limits from ``resolvers.api_settings``, enforced the way AppSync does.

AppSync developer guide, "Configuring GraphQL run complexity, query depth, and introspection": a field
nested deeper than the query depth limit fails with ``QueryDepthLimitReached``, and once a request has
run as many resolvers as the resolver count limit allows, every further resolver fails with
``ResolverExecutionLimitReached`` instead of running. Either error nulls its field, and a null in a
non-null field moves up to the nearest nullable parent, as any field error does. Introspection is exempt.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from graphql import FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode
from graphql.pyutils import Path
from strawberry.extensions import SchemaExtension

from mirror.resolution import selected_fields
from resolvers.api_settings import QUERY_DEPTH_LIMIT, RESOLVER_COUNT_LIMIT

DEPTH_ERROR = "QueryDepthLimitReached"
RESOLVER_COUNT_ERROR = "ResolverExecutionLimitReached"


class LimitReached(Exception):
    """A field refused by a limit; AppSync shows ``error_type`` and ``message`` to the client."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message


def field_depth(path: Path | None) -> int:
    """How many fields deep a response path is (list indexes are not levels)."""
    depth = 0
    while path is not None:
        depth += isinstance(path.key, str)
        path = path.prev
    return depth


def check_depth(depth: int, limit: int = QUERY_DEPTH_LIMIT) -> None:
    if limit and depth > limit:
        raise LimitReached(DEPTH_ERROR, f"Query depth limit of {limit} reached")


def selection_depth(selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]) -> int:
    """How many field levels a (validated, so cycle-free) selection set nests; a subscription is checked
    with this when it starts, since no resolver runs for its fields."""
    return max(
        (1 + selection_depth(node.selection_set, fragments) for node in selected_fields(selection_set, fragments)),
        default=0,
    )


class AppSyncLimits(SchemaExtension):
    """One request's depth check and resolver count (Strawberry makes one instance per operation)."""

    def __init__(
        self,
        resolver_fields: Collection[tuple[str, str]],
        *,
        depth_limit: int = QUERY_DEPTH_LIMIT,
        resolver_limit: int = RESOLVER_COUNT_LIMIT,
    ) -> None:
        self.resolver_fields = resolver_fields
        self.depth_limit = depth_limit
        self.resolver_limit = resolver_limit
        self.resolvers_run = 0

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any
    ) -> Any:
        if info.field_name.startswith("__") or info.parent_type.name.startswith("__"):
            return _next(root, info, *args, **kwargs)
        check_depth(field_depth(info.path), self.depth_limit)
        if (info.parent_type.name, info.field_name) in self.resolver_fields:
            self.resolvers_run += 1
            if self.resolver_limit and self.resolvers_run > self.resolver_limit:
                raise LimitReached(RESOLVER_COUNT_ERROR, f"Resolver execution limit of {self.resolver_limit} reached")
        return _next(root, info, *args, **kwargs)
