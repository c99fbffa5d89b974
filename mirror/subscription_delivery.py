"""What a subscriber receives: its own selection set executed over the mutation's result, as AppSync does.

AppSync runs no resolver for a subscription: it reads each selected field from the result of the
mutation that triggered it (``@aws_subscribe``). So:

- ``__typename`` is the object type's name (GraphQL spec, "Type Name Introspection"; Apollo Client
  asks for it in every selection);
- a field the mutation did not select is ``null`` (aws-amplify/amplify-category-api#1338);
- a non-null field that comes out ``null`` nulls its nearest nullable parent, as GraphQL's execution
  does, and each one is reported in ``errors`` as ``Cannot return null for non-nullable type: '<type>'
  within parent '<parent>' (/<path>)`` with its ``path`` — every such field, not only the first
  (aws/aws-appsync-community#127, aws-amplify/amplify-cli#5542, amplify-category-api#1338).

Values are taken as the mutation's response already serialized them. Fields are collected as GraphQL
collects them: aliases, fragments, type conditions, ``@skip``/``@include``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLAbstractType,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionNode,
    SelectionSetNode,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution.values import VariableValues, get_directive_values

TYPENAME = "__typename"


@dataclass(frozen=True)
class SubscriberSelection:
    """A started subscription's root field as its client wrote it, with what its document defines."""

    schema: GraphQLSchema
    field: GraphQLField
    node: FieldNode
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: VariableValues | None = None

    @property
    def response_key(self) -> str:
        return self.node.alias.value if self.node.alias else self.node.name.value


class _NullInNonNull(Exception):
    """A non-null position came out null: the nearest nullable parent becomes null."""


@dataclass
class _Execution:
    selection: SubscriberSelection
    errors: list[dict[str, Any]]

    def complete(
        self, value: Any, type_: GraphQLOutputType, nodes: list[FieldNode], path: list[str | int], parent: str
    ) -> Any:
        """``value`` as the field at ``path`` (held by type ``parent``) of type ``type_`` selects it."""
        if isinstance(type_, GraphQLNonNull):
            completed = self.complete(value, type_.of_type, nodes, path, parent)
            if completed is None:
                where = "/" + "/".join(str(step) for step in path)
                self.errors.append(
                    {
                        "message": f"Cannot return null for non-nullable type: '{type_.of_type}' "
                        f"within parent '{parent}' ({where})",
                        "path": list(path),
                    }
                )
                raise _NullInNonNull
            return completed
        if value is None or is_leaf_type(type_):
            return value
        if isinstance(type_, GraphQLList):
            return self._list(value, type_.of_type, nodes, path, parent) if isinstance(value, list) else None
        object_type = self._object_type(type_, value)
        if object_type is None or not isinstance(value, dict):
            return None
        return self._object(object_type, value, nodes, path)

    def _list(
        self, value: list[Any], item_type: GraphQLOutputType, nodes: list[FieldNode], path: list[str | int], parent: str
    ) -> list[Any]:
        items: list[Any] = []
        for index, item in enumerate(value):
            try:
                items.append(self.complete(item, item_type, nodes, [*path, index], parent))
            except _NullInNonNull:
                if isinstance(item_type, GraphQLNonNull):
                    raise  # a null where the list allows none: the list itself becomes null
                items.append(None)
        return items

    def _object(
        self, object_type: GraphQLObjectType, value: dict[str, Any], nodes: list[FieldNode], path: list[str | int]
    ) -> dict[str, Any]:
        grouped: dict[str, list[FieldNode]] = {}
        for node in nodes:
            if node.selection_set is not None:
                self._collect(object_type, node.selection_set, grouped)
        completed: dict[str, Any] = {}
        nulled = False
        for key, field_nodes in grouped.items():
            name = field_nodes[0].name.value
            if name == TYPENAME:
                completed[key] = object_type.name
                continue
            field = object_type.fields.get(name)
            if field is None:
                continue
            try:
                completed[key] = self.complete(value.get(name), field.type, field_nodes, [*path, key], object_type.name)
            except _NullInNonNull:
                if isinstance(field.type, GraphQLNonNull):
                    nulled = True  # this object becomes null; keep going, AppSync reports every such field
                else:
                    completed[key] = None
        if nulled:
            raise _NullInNonNull
        return completed

    def _collect(
        self, object_type: GraphQLObjectType, selection_set: SelectionSetNode, grouped: dict[str, list[FieldNode]]
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else None
                if self._applies(condition, object_type):
                    self._collect(object_type, selection.selection_set, grouped)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.selection.fragments.get(selection.name.value)
                if fragment is not None and self._applies(fragment.type_condition.name.value, object_type):
                    self._collect(object_type, fragment.selection_set, grouped)

    def _included(self, node: SelectionNode) -> bool:
        variables = self.selection.variables
        skip = get_directive_values(GraphQLSkipDirective, node, variables)
        if skip is not None and skip.get("if") is True:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, variables)
        return include is None or include.get("if") is not False

    def _applies(self, condition: str | None, object_type: GraphQLObjectType) -> bool:
        if condition is None or condition == object_type.name:
            return True
        named = self.selection.schema.get_type(condition)
        return isinstance(named, GraphQLAbstractType) and self.selection.schema.is_sub_type(named, object_type)

    def _object_type(self, type_: GraphQLOutputType, value: Any) -> GraphQLObjectType | None:
        if isinstance(type_, GraphQLObjectType):
            return type_
        if is_abstract_type(type_) and isinstance(value, dict):
            named = self.selection.schema.get_type(str(value.get(TYPENAME)))
            return named if isinstance(named, GraphQLObjectType) else None
        return None


def delivery(selection: SubscriberSelection, result: Any) -> dict[str, Any]:
    """The ``payload`` of the ``data`` message for one mutation result: ``data``, and ``errors`` if any."""
    execution = _Execution(selection, [])
    key = selection.response_key
    root = selection.schema.subscription_type
    try:
        value = execution.complete(result, selection.field.type, [selection.node], [key], root.name if root else "")
    except _NullInNonNull:
        value = None
    payload: dict[str, Any] = {"data": {key: value}}
    if execution.errors:
        payload["errors"] = execution.errors
    return payload
