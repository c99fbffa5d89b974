"""AppSync's @aws_subscribe: a mutation's result goes to the subscriptions that name it, filtered by arguments.

Which mutation feeds which subscription is read from schema.graphql and nowhere else. A subscriber gets
its own selection set executed over the mutation's result (``mirror.subscription_delivery``), and only
when each argument it gave equals the same-named field of that result. A result that lacks a field the
subscriber filters on is not delivered.
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
    GraphQLSchema,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
)

from mirror.subscription_delivery import SubscriberSelection, delivery

Deliver = Callable[[dict[str, Any]], None]
"""Takes the payload of one ``data`` message: ``{"data": ..., "errors": [...]}`` (errors only when any)."""


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


@dataclass(eq=False)
class Subscriber:
    """One started subscription: its field, its arguments, how it selects, and where its data goes.

    Without a selection the result goes as it is (``{"data": {field: result}}``), for a GraphQL
    executor that runs the selection itself (the playground's subscriptions through Strawberry).
    """

    field_name: str
    arguments: dict[str, Any]
    selection: SubscriberSelection | None
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
        self._by_mutation = self._triggered_by(schema)
        self._subscribers: dict[str, set[Subscriber]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _triggered_by(schema: GraphQLSchema) -> dict[str, list[str]]:
        by_mutation: dict[str, list[str]] = {}
        for subscription, mutations in subscription_triggers(schema).items():
            for mutation in mutations:
                by_mutation.setdefault(mutation, []).append(subscription)
        return by_mutation

    def follow(self, schema: GraphQLSchema) -> None:
        """A reloaded schema's @aws_subscribe decides from now on; the subscribers stay, with their selections."""
        by_mutation = self._triggered_by(schema)
        with self._lock:
            self._by_mutation = by_mutation

    def subscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.setdefault(subscriber.field_name, set()).add(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.get(subscriber.field_name, set()).discard(subscriber)

    def publish(self, mutation_field: str, result: Any) -> int:
        """Delivers one mutation's response to every matching subscriber; returns how many got it."""
        if not isinstance(result, dict):
            return 0
        delivered = 0
        with self._lock:
            subscriptions = tuple(self._by_mutation.get(mutation_field, ()))
        for subscription in subscriptions:
            with self._lock:
                subscribers = list(self._subscribers.get(subscription, ()))
            for subscriber in subscribers:
                if subscriber.matches(result):
                    subscriber.deliver(
                        delivery(subscriber.selection, result)
                        if subscriber.selection is not None
                        else {"data": {subscriber.field_name: result}}
                    )
                    delivered += 1
        return delivered
