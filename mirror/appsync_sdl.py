"""schema.graphql as AppSync reads it: appsync_builtins.graphql declares the scalars and directives built in there."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, ScalarTypeDefinitionNode, build_ast_schema, parse, specified_directives

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"

BUILTINS_PATH = SCHEMA_PATH.with_name("appsync_builtins.graphql")

APPSYNC_PRELUDE = BUILTINS_PATH.read_text(encoding="utf-8")
"""AppSync's scalars and directives, declared once in their own SDL file (the SPA's type generation reads it too)."""

APPSYNC_SCALARS = tuple(
    definition.name.value
    for definition in parse(APPSYNC_PRELUDE).definitions
    if isinstance(definition, ScalarTypeDefinitionNode)
)


def schema_text(path: Path = SCHEMA_PATH) -> str:
    return path.read_text(encoding="utf-8")


@cache
def appsync_schema(path: Path = SCHEMA_PATH) -> GraphQLSchema:
    """The schema exactly as written, with AppSync's built-ins declared so graphql-core can read it."""
    return build_ast_schema(parse(APPSYNC_PRELUDE + schema_text(path)))


def served_schema(path: Path = SCHEMA_PATH) -> GraphQLSchema:
    """What clients see: the types reachable from the roots, without AppSync's directive declarations."""
    full = appsync_schema(path)
    return GraphQLSchema(
        query=full.query_type,
        mutation=full.mutation_type,
        subscription=full.subscription_type,
        directives=specified_directives,
    )
