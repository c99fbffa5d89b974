"""Builds the Strawberry schema from schema.graphql, so the SDL stays the only hand-written schema.

Every type, input, enum and scalar of the SDL becomes its Strawberry counterpart, and every field
reads its value from the parent's result (``StrawberryConfig.default_resolver``), as AppSync does for
a field without a resolver. Where a Lambda resolver is attached, ``AppSyncResolution`` (a schema
extension: Strawberry's documented hook around each field, which sees graphql-core's resolve info)
runs it instead, after AppSync's auth check.

One thing has no public way: Strawberry reads a field's arguments only from its resolver's signature,
and resolves a type's annotations in the module the class belongs to. ``_GeneratedTypes`` is the one
place that gives generated resolvers a signature and generated classes a module; see there.
"""

from __future__ import annotations

import inspect
import sys
import types
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Collection, Sequence
from enum import Enum
from typing import Any, Optional

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLType,
    OperationType,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig

from mirror.appsync_scalars import parse_scalar
from mirror.appsync_sdl import APPSYNC_SCALARS

FieldInvoker = Callable[[str, str, Any, GraphQLResolveInfo[Any]], Awaitable[Any]]
"""Runs the Lambda resolver of (type, field) for this parent value."""
FieldGuard = Callable[[str, str, Any], None]
"""Raises when the request (its context) may not read (type, field): AppSync's auth directives."""
FieldSubscriber = Callable[[str, dict[str, Any], Any], AsyncIterator[Any]]
"""Yields the results of the mutations that feed a subscription field, for these arguments and context."""

_BUILTIN_SCALARS: dict[str, str] = {
    "ID": "strawberry.ID",
    "String": "str",
    "Int": "int",
    "Float": "float",
    "Boolean": "bool",
}


def read_from_parent(parent: Any, name: str) -> Any:
    """AppSync's answer for a field without a resolver: the same-named key of the parent's result."""
    return parent.get(name) if isinstance(parent, dict) else None


class AppSyncResolution(SchemaExtension):
    """Per field: AppSync's auth check, then the Lambda resolver where one is attached.

    Subscription deliveries run no resolver: they carry what the mutation selected.
    """

    def __init__(self, served: Collection[tuple[str, str]], invoke: FieldInvoker, guard: FieldGuard) -> None:
        self.served = served
        self.invoke = invoke
        self.guard = guard

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo[Any], *args: Any, **kwargs: Any
    ) -> Any:
        type_name, field_name = info.parent_type.name, info.field_name
        if type_name.startswith("__") or field_name.startswith("__"):
            return _next(root, info, *args, **kwargs)
        self.guard(type_name, field_name, info.context)
        if info.operation.operation != OperationType.SUBSCRIPTION and (type_name, field_name) in self.served:
            return self.invoke(type_name, field_name, root, info)
        return _next(root, info, *args, **kwargs)


class _GeneratedTypes:
    """The module the generated classes live in, and the signatures of their generated resolvers.

    Strawberry builds fields from Python classes: it reads a field's arguments only from its resolver's
    signature, and resolves string annotations (needed for types that refer to each other) in the module
    named by the class's ``__module__``. Neither has a public alternative for a schema known only at run
    time, so this class registers one module per built schema in ``sys.modules`` and sets
    ``__signature__`` (which ``inspect.signature`` honours) on resolvers. tests/unit/test_strawberry_schema.py
    fails first if a Strawberry upgrade stops honouring either.
    """

    def __init__(self) -> None:
        self.module = types.ModuleType(f"mirror._generated_{id(self)}")
        self.module.__dict__.update(
            {"Optional": Optional, "strawberry": strawberry, "Any": Any, "AsyncGenerator": AsyncGenerator}
        )
        sys.modules[self.module.__name__] = self.module

    def add(self, name: str, value: Any) -> None:
        setattr(self.module, name, value)

    def get(self, name: str) -> Any:
        return getattr(self.module, name)

    def new_class(self, name: str, members: dict[str, Any], bases: tuple[type, ...] = ()) -> type:
        return type(name, bases, {"__module__": self.module.__name__, **members})

    def with_signature(self, function: Callable[..., Any], field: GraphQLField, *, generator: bool = False) -> Any:
        """Gives a generic resolver the field's arguments as its signature, which Strawberry reads."""
        parameters = [
            inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info),
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
        function.__module__ = self.module.__name__
        return function


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
    assert isinstance(graphql_type, GraphQLNamedType)
    return _BUILTIN_SCALARS.get(graphql_type.name, graphql_type.name)


def _appsync_scalar(name: str, description: str | None) -> Any:
    """A scalar definition for ``StrawberryConfig.scalar_map``: AppSync checks input, passes output through."""

    def parse(value: Any) -> Any:
        return parse_scalar(name, value)

    return strawberry.scalar(name=name, description=description, serialize=lambda value: value, parse_value=parse)


def _given(arguments: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in arguments.items() if value is not strawberry.UNSET}


def _field(generated: _GeneratedTypes, field_name: str, field: GraphQLField) -> Any:
    """A field that reads the parent's result; with arguments, a resolver declares them (and reads the same)."""
    if not field.args:
        return strawberry.field(name=field_name, description=field.description)

    def read(root: Any, info: strawberry.Info, **_: Any) -> Any:
        return read_from_parent(root, field_name)

    read.__name__ = f"read_{field_name}"
    return strawberry.field(
        resolver=generated.with_signature(read, field), name=field_name, description=field.description
    )


def _subscription_field(
    generated: _GeneratedTypes, field_name: str, field: GraphQLField, subscribe: FieldSubscriber
) -> Any:
    async def results(root: Any, info: strawberry.Info, **arguments: Any) -> AsyncGenerator[Any, None]:
        async for result in subscribe(field_name, _given(arguments), info.context):
            yield result

    results.__name__ = f"subscribe_{field_name}"
    return strawberry.subscription(
        resolver=generated.with_signature(results, field, generator=True),
        name=field_name,
        description=field.description,
    )


def _object_type(
    generated: _GeneratedTypes, graphql_type: GraphQLObjectType, subscribe: FieldSubscriber | None
) -> type:
    annotations: dict[str, str] = {}
    members: dict[str, Any] = {"__annotations__": annotations}
    for field_name, field in graphql_type.fields.items():
        if subscribe is not None:
            members[field_name] = _subscription_field(generated, field_name, field, subscribe)
            continue
        if not field.args:
            annotations[field_name] = _annotation(field.type)
        members[field_name] = _field(generated, field_name, field)
    cls = generated.new_class(graphql_type.name, members)
    return strawberry.type(cls, name=graphql_type.name, description=graphql_type.description)


def _input_type(generated: _GeneratedTypes, graphql_type: GraphQLInputObjectType) -> type:
    annotations: dict[str, str] = {}
    members: dict[str, Any] = {"__annotations__": annotations}
    for field_name, field in graphql_type.fields.items():
        annotations[field_name] = _annotation(field.type)
        optional = {} if isinstance(field.type, GraphQLNonNull) else {"default": strawberry.UNSET}
        members[field_name] = strawberry.field(name=field_name, description=field.description, **optional)
    cls = generated.new_class(graphql_type.name, members)
    return strawberry.input(cls, name=graphql_type.name, description=graphql_type.description)


async def _no_subscriptions(field_name: str, arguments: dict[str, Any], context: Any) -> AsyncIterator[Any]:
    raise RuntimeError(f"{field_name}: this schema was built without subscriptions")
    yield  # an async generator, as Strawberry requires of a subscription


def build_mirror_schema(
    sdl: GraphQLSchema,
    *,
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
    schema_class: type[strawberry.Schema] = strawberry.Schema,
    subscribe: FieldSubscriber = _no_subscriptions,
) -> strawberry.Schema:
    """A Strawberry schema equal to ``sdl`` whose fields read their parent's result; pass ``AppSyncResolution``
    in ``extensions`` to run Lambda resolvers."""
    generated = _GeneratedTypes()
    scalar_map: dict[object, Any] = {}
    for name, graphql_type in sdl.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(graphql_type, GraphQLScalarType) and name in APPSYNC_SCALARS:
            python_type = generated.new_class(name, {}, (str,))
            generated.add(name, python_type)
            scalar_map[python_type] = _appsync_scalar(name, graphql_type.description)
        elif isinstance(graphql_type, GraphQLEnumType):
            python_enum = Enum(name, [(value, value) for value in graphql_type.values])  # type: ignore[misc]
            generated.add(name, strawberry.enum(python_enum, name=name, description=graphql_type.description))
    for name, graphql_type in sdl.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(graphql_type, GraphQLInputObjectType):
            generated.add(name, _input_type(generated, graphql_type))
        elif isinstance(graphql_type, GraphQLObjectType):
            feeds = subscribe if graphql_type is sdl.subscription_type else None
            generated.add(name, _object_type(generated, graphql_type, feeds))
    roots = {"query": sdl.query_type, "mutation": sdl.mutation_type, "subscription": sdl.subscription_type}
    return schema_class(
        **{role: generated.get(root.name) for role, root in roots.items() if root is not None},
        config=StrawberryConfig(auto_camel_case=False, scalar_map=scalar_map, default_resolver=read_from_parent),
        extensions=extensions,
    )
