"""Every field of schema.graphql is accounted for: served by a resolver, or read from its parent's record.

AppSync accepts a schema field that nothing provides and answers it with null (``Cannot return null for
non-nullable field``) when a client asks; it also accepts a resolver on a field the schema lacks. Gather
refuses both before anything serves: ``gather dev`` at start and on every reload, ``cdk synth``, and
tests/unit/test_field_accounting.py all call ``unaccounted_fields``. The rules:

- every Query and Mutation field has a resolver;
- every field of an object type a resolver returns has a resolver of its own, or is a key of the typed record
  (TypedDict or dataclass) that resolver's return annotation names; nested records are followed the same way;
- every resolver names a field the schema has;
- subscriptions follow AppSync's rules: no resolver, and each mutation its ``@aws_subscribe`` names exists and
  returns the subscription's type.

What a resolver returns comes from its annotation (``FieldSources``): plain data, so a Lambda environment
of the saved code can report it to ``gather dev`` (``local_stack/derived.py``).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from graphql import GraphQLObjectType, GraphQLSchema, get_named_type

from mirror.subscriptions import subscription_triggers

if TYPE_CHECKING:
    from resolvers.registry import RecordingRouter

Record = dict[str, str | None]
"""A record's fields, each naming the record it holds (a nested record, or a list of them) or None."""


class FieldSources(TypedDict):
    """What each resolver returns, as JSON: ``returns`` maps ``Type.field`` to the record its annotation names
    (None: a scalar, or no typed record); ``records`` gives each named record's fields."""

    returns: dict[str, str | None]
    records: dict[str, Record]


class UnaccountedFields(Exception):
    """Fields nothing provides, or resolvers for fields that do not exist; one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("schema.graphql and the resolvers disagree:\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = list(problems)


def field_sources(routers: Iterable[RecordingRouter]) -> FieldSources:
    """Reads each registered resolver's return annotation (batch resolvers: the element of the list)."""
    sources: FieldSources = {"returns": {}, "records": {}}
    for router in routers:
        for registration in router.registrations:
            try:
                returned = typing.get_type_hints(registration.function).get("return", Any)
            except (NameError, TypeError):
                returned = Any
            key = f"{registration.type_name}.{registration.field_name}"
            sources["returns"][key] = _record_name(returned, sources["records"])
    return sources


def _record_name(annotation: Any, records: dict[str, Record]) -> str | None:
    """The record an annotation names once optionals and lists are taken off; records found are added."""
    record = _unwrapped(annotation)
    if record is None:
        return None
    name = f"{record.__module__}.{record.__qualname__}"
    if name not in records:
        records[name] = {}  # first, so a record that holds itself ends
        hints = typing.get_type_hints(record)
        records[name] = {field: _record_name(hint, records) for field, hint in hints.items()}
    return name


def _unwrapped(annotation: Any) -> type | None:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [_unwrapped(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
        return inner[0] if len(inner) == 1 else None
    if origin in (list, tuple, Sequence, Iterable):
        arguments = typing.get_args(annotation)
        return _unwrapped(arguments[0]) if arguments else None
    if isinstance(annotation, type) and (typing.is_typeddict(annotation) or dataclasses.is_dataclass(annotation)):
        return annotation
    return None


def unaccounted_fields(schema: GraphQLSchema, served: Iterable[tuple[str, str]], sources: FieldSources) -> list[str]:
    """One line per problem, naming the field and what it lacks; empty when every field is accounted for."""
    served = set(served)
    problems = [*_resolvers_without_fields(schema, served), *_roots_without_resolvers(schema, served)]
    problems += _subscription_problems(schema, served)
    problems += _fields_without_source(schema, served, sources)
    return list(dict.fromkeys(problems))


def _resolvers_without_fields(schema: GraphQLSchema, served: set[tuple[str, str]]) -> list[str]:
    problems = []
    for type_name, field_name in sorted(served):
        graphql_type = schema.get_type(type_name)
        registered = f"{type_name}.{field_name}: a resolver is registered, but"
        if not isinstance(graphql_type, GraphQLObjectType):
            problems.append(f"{registered} schema.graphql has no type {type_name}")
        elif field_name not in graphql_type.fields:
            problems.append(f"{registered} {type_name} has no field {field_name}")
    return problems


def _roots_without_resolvers(schema: GraphQLSchema, served: set[tuple[str, str]]) -> list[str]:
    roots = [root for root in (schema.query_type, schema.mutation_type) if root is not None]
    return [
        f"{root.name}.{name}: no resolver is registered for it"
        for root in roots
        for name in root.fields
        if (root.name, name) not in served
    ]


def _subscription_problems(schema: GraphQLSchema, served: set[tuple[str, str]]) -> list[str]:
    subscription, mutation = schema.subscription_type, schema.mutation_type
    if subscription is None:
        return []
    problems = []
    for name, mutations in subscription_triggers(schema).items():
        where = f"{subscription.name}.{name}"
        if (subscription.name, name) in served:
            problems.append(f"{where}: a subscription delivers its mutations' results; it takes no resolver")
        if not mutations:
            problems.append(f"{where}: @aws_subscribe names no mutation")
        returns = get_named_type(subscription.fields[name].type)
        for fed_by in mutations:
            field = mutation.fields.get(fed_by) if mutation is not None else None
            if field is None:
                problems.append(f"{where}: @aws_subscribe names {fed_by}, which is not a Mutation field")
            elif get_named_type(field.type) is not returns:
                problems.append(f"{where}: @aws_subscribe names {fed_by}, which does not return {returns.name}")
    return problems


def _fields_without_source(schema: GraphQLSchema, served: set[tuple[str, str]], sources: FieldSources) -> list[str]:
    """Walks from each resolver's type and record down every field no resolver of its own serves."""
    problems: list[str] = []
    seen: set[tuple[str, str | None]] = set()
    records = sources["records"]

    def visit(object_type: GraphQLObjectType, record: str | None, via: str) -> None:
        if (object_type.name, record) in seen:
            return
        seen.add((object_type.name, record))
        fields = records.get(record) if record is not None else None
        for name, field in object_type.fields.items():
            if (object_type.name, name) in served:
                continue
            if fields is None:
                problems.append(
                    f"{object_type.name}.{name}: no resolver, and {via} returns no typed record to read it from"
                )
                continue
            if name not in fields:
                problems.append(
                    f"{object_type.name}.{name}: no resolver, and {_short(record)} (returned by {via}) has no {name}"
                )
                continue
            child = get_named_type(field.type)
            if isinstance(child, GraphQLObjectType):
                visit(child, fields[name], f"{_short(record)}.{name}")

    for key, record in sorted(sources["returns"].items()):
        type_name, _, field_name = key.partition(".")
        parent = schema.get_type(type_name)
        if not isinstance(parent, GraphQLObjectType) or field_name not in parent.fields:
            continue  # reported above
        returns = get_named_type(parent.fields[field_name].type)
        if isinstance(returns, GraphQLObjectType):
            visit(returns, record, key)
    return problems


def _short(record: str | None) -> str:
    return str(record).rsplit(".", 1)[-1]


def check_fields(schema: GraphQLSchema, served: Iterable[tuple[str, str]], sources: FieldSources) -> None:
    """Raises UnaccountedFields naming every problem ``unaccounted_fields`` finds."""
    problems = unaccounted_fields(schema, served, sources)
    if problems:
        raise UnaccountedFields(problems)
