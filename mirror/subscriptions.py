"""AppSync's @aws_subscribe: a mutation's result goes to the subscriptions that name it, filtered by arguments.

Which mutation feeds which subscription is read from schema.graphql and nowhere else. A subscriber gets
the fields the mutation selected (shaped by its own selection; what the mutation did not select is
null), and only when each argument it gave equals the same-named field of that result. A result that
lacks a field the subscriber filters on is not delivered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLSchema,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
)

from mirror.resolution import selected_fields

Deliver = Callable[[dict[str, Any]], None]


@cache
def subscription_triggers(schema: GraphQLSchema) -> dict[str, tuple[str, ...]]:
    """Subscription field → the mutation fields named by its @aws_subscribe."""
    triggers: dict[str, tuple[str, ...]] = {}
    if schema.subscription_type is None:
        return triggers
    for name, field in schema.subscription_type.fields.items():
        mutations: list[str] = []
        for directive in field.ast_node.directives if field.ast_node and field.ast_node.directives else ():
            if directive.name.value != "aws_subscribe":
                continue
            for argument in directive.arguments or ():
                if argument.name.value == "mutations" and isinstance(argument.value, ListValueNode):
                    mutations.extend(v.value for v in argument.value.values if isinstance(v, StringValueNode))
        triggers[name] = tuple(mutations)
    return triggers


def shape(value: Any, selection_set: SelectionSetNode | None, fragments: dict[str, FragmentDefinitionNode]) -> Any:
    """The mutation's response seen through the subscriber's selection: missing fields become null."""
    if selection_set is None or value is None:
        return value
    if isinstance(value, list):
        return [shape(item, selection_set, fragments) for item in value]
    shaped: dict[str, Any] = {}
    for node in selected_fields(selection_set, fragments):
        key = node.alias.value if node.alias else node.name.value
        shaped[key] = (
            shape(value.get(node.name.value), node.selection_set, fragments) if isinstance(value, dict) else None
        )
    return shaped


@dataclass(eq=False)
class Subscriber:
    """One started subscription: its field, its arguments, how it selects, and where its data goes."""

    field_name: str
    response_key: str
    arguments: dict[str, Any]
    selection_set: SelectionSetNode | None
    fragments: dict[str, FragmentDefinitionNode]
    deliver: Deliver

    def matches(self, result: dict[str, Any]) -> bool:
        return all(
            name in result and value is not None and str(result[name]) == str(value)
            for name, value in self.arguments.items()
            if value is not None
        )


def mutation_results(
    document: DocumentNode, operation_name: str | None, data: dict[str, Any]
) -> Iterator[tuple[str, Any]]:
    """(mutation field, its response) for each root field of an executed mutation."""
    for definition in document.definitions:
        if not isinstance(definition, OperationDefinitionNode) or definition.operation != OperationType.MUTATION:
            continue
        if operation_name is not None and (definition.name is None or definition.name.value != operation_name):
            continue
        for selection in definition.selection_set.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                if data.get(key) is not None:
                    yield selection.name.value, data[key]


class PubSub:
    """The mirror's subscribers and the fan-out of mutation results to them."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self._by_mutation: dict[str, list[str]] = {}
        for subscription, mutations in subscription_triggers(schema).items():
            for mutation in mutations:
                self._by_mutation.setdefault(mutation, []).append(subscription)
        self._subscribers: dict[str, set[Subscriber]] = {}
        self._changed = threading.Condition()

    def subscribe(self, subscriber: Subscriber) -> None:
        with self._changed:
            self._subscribers.setdefault(subscriber.field_name, set()).add(subscriber)
            self._changed.notify_all()

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._changed:
            self._subscribers.get(subscriber.field_name, set()).discard(subscriber)
            self._changed.notify_all()

    def count(self) -> int:
        with self._changed:
            return sum(len(subscribers) for subscribers in self._subscribers.values())

    def wait_for_count(self, expected: int, timeout: float) -> bool:
        """Blocks (another thread) until exactly ``expected`` subscribers remain; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: self.count() == expected, timeout)

    def publish(self, mutation_field: str, result: Any) -> int:
        """Delivers one mutation's response to every matching subscriber; returns how many got it."""
        if not isinstance(result, dict):
            return 0
        delivered = 0
        for subscription in self._by_mutation.get(mutation_field, ()):
            with self._changed:
                subscribers = list(self._subscribers.get(subscription, ()))
            for subscriber in subscribers:
                if subscriber.matches(result):
                    payload = shape(result, subscriber.selection_set, subscriber.fragments)
                    subscriber.deliver({subscriber.response_key: payload})
                    delivered += 1
        return delivered
