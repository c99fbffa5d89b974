"""AppSync's auth directives, read from schema.graphql and enforced per field as AppSync enforces them.

A field's own auth directives decide; without any, its type's decide; without those, only the API's
default auth mode may read it. ``@aws_cognito_user_pools(cognito_groups: [..])`` also needs one of the
groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from graphql import DirectiveNode, GraphQLObjectType, GraphQLSchema, ListValueNode, StringValueNode

from resolvers.api_settings import DEFAULT_AUTH_MODE

API_KEY = "API_KEY"
COGNITO = "AMAZON_COGNITO_USER_POOLS"
IAM = "AWS_IAM"
DIRECTIVE_MODES = {
    "aws_api_key": API_KEY,
    "aws_cognito_user_pools": COGNITO,
    "aws_auth": COGNITO,
    "aws_iam": IAM,
    "aws_oidc": "OPENID_CONNECT",
    "aws_lambda": "AWS_LAMBDA",
}


class NotAuthorized(Exception):
    """AppSync's refusal of one field: the field is null and the error says which."""

    error_type = "Unauthorized"

    def __init__(self, type_name: str, field_name: str) -> None:
        super().__init__(f"Not Authorized to access {field_name} on type {type_name}")


@dataclass(frozen=True)
class Rule:
    """Who may read a field: auth modes, and for Cognito the groups (None: any signed-in user)."""

    modes: frozenset[str]
    cognito_groups: frozenset[str] | None = None

    def allows(self, mode: str, groups: tuple[str, ...]) -> bool:
        if mode not in self.modes:
            return False
        if mode == COGNITO and self.cognito_groups is not None:
            return bool(self.cognito_groups.intersection(groups))
        return True


def _rule(directives: tuple[DirectiveNode, ...]) -> Rule | None:
    modes: set[str] = set()
    groups: set[str] | None = None
    for directive in directives:
        mode = DIRECTIVE_MODES.get(directive.name.value)
        if mode is None:
            continue
        modes.add(mode)
        for argument in directive.arguments or ():
            if argument.name.value == "cognito_groups" and isinstance(argument.value, ListValueNode):
                named = {v.value for v in argument.value.values if isinstance(v, StringValueNode)}
                groups = (groups or set()) | named
    return Rule(frozenset(modes), None if groups is None else frozenset(groups)) if modes else None


class AuthRules:
    """Every object field's rule, computed once from the SDL."""

    def __init__(self, schema: GraphQLSchema) -> None:
        default = Rule(frozenset({DEFAULT_AUTH_MODE}))
        self._rules: dict[tuple[str, str], Rule] = {}
        for type_name, graphql_type in schema.type_map.items():
            if type_name.startswith("__") or not isinstance(graphql_type, GraphQLObjectType):
                continue
            type_node = graphql_type.ast_node
            type_rule = _rule(tuple(type_node.directives)) if type_node and type_node.directives else None
            for field_name, field in graphql_type.fields.items():
                field_node = field.ast_node
                field_rule = _rule(tuple(field_node.directives)) if field_node and field_node.directives else None
                self._rules[(type_name, field_name)] = field_rule or type_rule or default

    def rule(self, type_name: str, field_name: str) -> Rule:
        return self._rules[(type_name, field_name)]

    def check(self, type_name: str, field_name: str, mode: str, groups: tuple[str, ...]) -> None:
        if not self._rules[(type_name, field_name)].allows(mode, groups):
            raise NotAuthorized(type_name, field_name)


@cache
def auth_rules(schema: GraphQLSchema) -> AuthRules:
    return AuthRules(schema)
