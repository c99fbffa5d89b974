"""Builds the Strawberry schema from schema.graphql, so the SDL stays the only hand-written schema.

Every type, input, enum and scalar of the SDL becomes its Strawberry counterpart. A field the Lambda
handler serves resolves through ``invoke``; any other field reads its value from the parent's result,
as AppSync does for fields without a resolver.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from enum import Enum
from typing import Any, Optional

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from mirror.appsync_scalars import parse_scalar
from mirror.appsync_sdl import APPSYNC_SCALARS

FieldInvoker = Callable[[str, str, Any, GraphQLResolveInfo[Any]], Awaitable[Any]]
FieldGuard = Callable[[str, str, GraphQLResolveInfo[Any]], None]
FieldSubscriber = Callable[[str, GraphQLResolveInfo[Any]], AsyncIterator[Any]]
"""Yields the results of the mutations that feed a subscription field, for this subscriber."""
"""Raises when the request may not read the field (AppSync's auth directives)."""


def _no_guard(type_name: str, field_name: str, info: GraphQLResolveInfo[Any]) -> None:
    return None


_BUILTIN_SCALARS: dict[str, str] = {
    "ID": "strawberry.ID",
    "String": "str",
    "Int": "int",
    "Float": "float",
    "Boolean": "bool",
}


class _Namespace:
    """A module the generated classes live in, so Strawberry can resolve their forward references."""

    def __init__(self) -> None:
        self.module = types.ModuleType(f"mirror._generated_{id(self)}")
        self.module.__dict__.update(
            {"Optional": Optional, "strawberry": strawberry, "Any": Any, "AsyncGenerator": AsyncGenerator}
        )
        sys.modules[self.module.__name__] = self.module

    def add(self, name: str, value: Any) -> None:
        setattr(self.module, name, value)


def _annotation(graphql_type: GraphQLType) -> str:
    """The Python annotation, as a string resolved in the generated module, for a GraphQL type."""
    if isinstance(graphql_type, GraphQLNonNull):
        return _required(graphql_type.of_type)
    return f"Optional[{_required(graphql_type)}]"


def _required(graphql_type: GraphQLType) -> str:
    if isinstance(graphql_type, GraphQLNonNull):
        return _required(graphql_type.of_type)
    if isinstance(graphql_type, GraphQLList):
        return f"list[{_annotation(graphql_type.of_type)}]"
    name: str = graphql_type.name  # type: ignore[attr-defined]
    return _BUILTIN_SCALARS.get(name, name)


def _appsync_scalar(name: str, description: str | None) -> Any:
    """A scalar definition for ``StrawberryConfig.scalar_map``: AppSync checks input, passes output through."""

    def parse(value: Any) -> Any:
        return parse_scalar(name, value)

    return strawberry.scalar(name=name, description=description, serialize=lambda value: value, parse_value=parse)


def _with_signature(
    function: Callable[..., Any], namespace: _Namespace, field: GraphQLField, *, generator: bool = False
) -> Callable[..., Any]:
    """Gives a generic resolver the field's arguments as its signature, which Strawberry reads."""
    parameters = [
        inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info),
    ]
    for argument_name, argument in field.args.items():
        default = inspect.Parameter.empty if isinstance(argument.type, GraphQLNonNull) else strawberry.UNSET
        parameters.append(
            inspect.Parameter(
                argument_name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=_annotation(argument.type),
                default=default,
            )
        )
    returns = _annotation(field.type)
    if generator:
        returns = f"AsyncGenerator[{returns}, None]"
    function.__signature__ = inspect.Signature(parameters, return_annotation=returns)  # type: ignore[attr-defined]
    function.__module__ = namespace.module.__name__
    return function


def _served_field(
    namespace: _Namespace,
    *,
    type_name: str,
    field_name: str,
    field: GraphQLField,
    invoke: FieldInvoker,
    guard: FieldGuard,
) -> Any:
    async def resolve(root: Any, info: Info, **_: Any) -> Any:
        guard(type_name, field_name, info._raw_info)  # noqa: SLF001
        return await invoke(type_name, field_name, root, info._raw_info)  # noqa: SLF001

    resolve.__name__ = f"resolve_{type_name}_{field_name}"
    return strawberry.field(
        resolver=_with_signature(resolve, namespace, field), name=field_name, description=field.description
    )


def _source_field(
    namespace: _Namespace, type_name: str, field_name: str, field: GraphQLField, guard: FieldGuard
) -> Any:
    def resolve(root: Any, info: Info, **_: Any) -> Any:
        guard(type_name, field_name, info._raw_info)  # noqa: SLF001
        return root.get(field_name) if isinstance(root, dict) else None

    resolve.__name__ = f"read_{field_name}"
    return strawberry.field(
        resolver=_with_signature(resolve, namespace, field), name=field_name, description=field.description
    )


def _subscription_field(
    namespace: _Namespace, field_name: str, field: GraphQLField, subscribe: FieldSubscriber, guard: FieldGuard
) -> Any:
    async def resolve(root: Any, info: Info, **_: Any) -> AsyncGenerator[Any, None]:
        guard("Subscription", field_name, info._raw_info)  # noqa: SLF001
        async for result in subscribe(field_name, info._raw_info):  # noqa: SLF001
            yield result

    resolve.__name__ = f"subscribe_{field_name}"
    return strawberry.subscription(
        resolver=_with_signature(resolve, namespace, field, generator=True),
        name=field_name,
        description=field.description,
    )


def _object_type(
    namespace: _Namespace,
    *,
    graphql_type: GraphQLObjectType,
    served: set[tuple[str, str]],
    invoke: FieldInvoker,
    guard: FieldGuard,
    subscribe: FieldSubscriber | None,
) -> type:
    members: dict[str, Any] = {"__module__": namespace.module.__name__, "__annotations__": {}}
    for field_name, field in graphql_type.fields.items():
        if subscribe is not None:
            members[field_name] = _subscription_field(namespace, field_name, field, subscribe, guard)
        elif (graphql_type.name, field_name) in served:
            members[field_name] = _served_field(
                namespace, type_name=graphql_type.name, field_name=field_name, field=field, invoke=invoke, guard=guard
            )
        else:
            members[field_name] = _source_field(namespace, graphql_type.name, field_name, field, guard)
    cls = type(graphql_type.name, (), members)
    return strawberry.type(cls, name=graphql_type.name, description=graphql_type.description)


def _input_type(namespace: _Namespace, graphql_type: GraphQLInputObjectType) -> type:
    annotations: dict[str, str] = {}
    members: dict[str, Any] = {"__module__": namespace.module.__name__, "__annotations__": annotations}
    for field_name, field in graphql_type.fields.items():
        annotations[field_name] = _annotation(field.type)
        optional = {} if isinstance(field.type, GraphQLNonNull) else {"default": strawberry.UNSET}
        members[field_name] = strawberry.field(name=field_name, description=field.description, **optional)
    cls = type(graphql_type.name, (), members)
    return strawberry.input(cls, name=graphql_type.name, description=graphql_type.description)


def build_mirror_schema(
    sdl: GraphQLSchema,
    served: set[tuple[str, str]],
    invoke: FieldInvoker,
    *,
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
    schema_class: type[strawberry.Schema] = strawberry.Schema,
    guard: FieldGuard = _no_guard,
    subscribe: FieldSubscriber | None = None,
) -> strawberry.Schema:
    """A Strawberry schema equal to ``sdl``, whose ``served`` fields run through ``invoke``."""
    namespace = _Namespace()
    scalar_map: dict[object, Any] = {}
    for name, graphql_type in sdl.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(graphql_type, GraphQLScalarType) and name in APPSYNC_SCALARS:
            python_type = type(name, (str,), {})
            namespace.add(name, python_type)
            scalar_map[python_type] = _appsync_scalar(name, graphql_type.description)
        elif isinstance(graphql_type, GraphQLEnumType):
            python_enum = Enum(name, {value: value for value in graphql_type.values})  # type: ignore[misc]
            namespace.add(name, strawberry.enum(python_enum, name=name, description=graphql_type.description))
    for name, graphql_type in sdl.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(graphql_type, GraphQLInputObjectType):
            namespace.add(name, _input_type(namespace, graphql_type))
        elif isinstance(graphql_type, GraphQLObjectType):
            namespace.add(
                name,
                _object_type(
                    namespace,
                    graphql_type=graphql_type,
                    served=served,
                    invoke=invoke,
                    guard=guard,
                    subscribe=subscribe if graphql_type is sdl.subscription_type else None,
                ),
            )
    roots = {
        "query": sdl.query_type,
        "mutation": sdl.mutation_type,
        "subscription": sdl.subscription_type,
    }
    return schema_class(
        **{role: getattr(namespace.module, root.name) for role, root in roots.items() if root is not None},
        config=StrawberryConfig(auto_camel_case=False, scalar_map=scalar_map),
        extensions=extensions,
    )
