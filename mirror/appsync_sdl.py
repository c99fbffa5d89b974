"""schema.graphql as AppSync reads it: its scalars and directives are built in there, so we declare them here."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, build_ast_schema, parse, specified_directives

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"

APPSYNC_SCALARS = (
    "AWSDate",
    "AWSTime",
    "AWSDateTime",
    "AWSTimestamp",
    "AWSEmail",
    "AWSJSON",
    "AWSURL",
    "AWSPhone",
    "AWSIPAddress",
)

APPSYNC_PRELUDE = (
    "\n".join(f"scalar {name}" for name in APPSYNC_SCALARS)
    + """
directive @aws_api_key on FIELD_DEFINITION | OBJECT
directive @aws_iam on FIELD_DEFINITION | OBJECT
directive @aws_oidc on FIELD_DEFINITION | OBJECT
directive @aws_lambda on FIELD_DEFINITION | OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
"""
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
