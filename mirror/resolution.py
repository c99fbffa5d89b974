"""Turns each served field into the direct-Lambda event AppSync would send, batching like BatchInvoke."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLResolveInfo,
    InlineFragmentNode,
    SelectionSetNode,
    VariableValues,
    get_argument_values,
    print_ast,
)

from mirror.lambda_runtime import Invocation, LambdaError
from mirror.request_auth import Authenticated


class Invoker(Protocol):
    async def invoke(self, event: dict[str, Any] | list[dict[str, Any]]) -> Any: ...


class Runtime(Protocol):
    async def invoke(
        self, event: dict[str, Any] | list[dict[str, Any]], record: Callable[[Invocation], None] | None = None
    ) -> Any: ...


class FairShare:
    """One request's way into the Lambda environments: at most ``share`` of its invocations are queued
    there at once, so a request with thousands of resolvers waits behind itself, not in front of others."""

    def __init__(self, runtime: Runtime, share: int, record: Callable[[Invocation], None] | None = None) -> None:
        self.runtime = runtime
        self.record = record
        """Told about each invocation (the `gather dev` console's request lines)."""
        self._slots = asyncio.Semaphore(share)

    async def invoke(self, event: dict[str, Any] | list[dict[str, Any]]) -> Any:
        async with self._slots:
            return await self.runtime.invoke(event, self.record)


@dataclass
class RequestContext:
    """What one HTTP request carries into every field it resolves."""

    headers: dict[str, str]
    domain_name: str
    auth: Authenticated | None
    """None only on a playground WebSocket until its connection_init carries credentials."""
    invoker: Invoker
    batcher: Batcher
    connection_params: dict[str, Any] | None = None
    request_id: str = ""
    invocations: list[Invocation] = field(default_factory=list)
    """Every Lambda invocation this request made, for the `gather dev` console."""

    @property
    def identity(self) -> dict[str, Any] | None:
        return self.auth.identity if self.auth else None


def selected_fields(
    selection_set: SelectionSetNode | None, fragments: Mapping[str, FragmentDefinitionNode]
) -> Iterator[FieldNode]:
    """The fields of a selection set, with fragments expanded as AppSync lists them."""
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from selected_fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            yield from selected_fields(fragments[selection.name.value].selection_set, fragments)


def selection_set_list(
    selection_set: SelectionSetNode | None, info: GraphQLResolveInfo[Any], prefix: str = ""
) -> list[str]:
    paths: list[str] = []
    for node in selected_fields(selection_set, info.fragments):
        if node.name.value == "__typename":
            continue
        path = f"{prefix}{node.name.value}"
        paths.append(path)
        paths.extend(selection_set_list(node.selection_set, info, f"{path}/"))
    return paths


def _coerced_variables(info: GraphQLResolveInfo[Any]) -> dict[str, Any]:
    """Resolvers may see the coerced variables bare; argument coercion wants them with their sources."""
    values: Any = info.variable_values
    return dict(values.coerced if isinstance(values, VariableValues) else values)


def appsync_event(info: GraphQLResolveInfo[Any], source: Any, context: RequestContext) -> dict[str, Any]:
    """The direct Lambda resolver event for this field (no mapping template)."""
    node = info.field_nodes[0]
    field_definition = info.parent_type.fields[info.field_name]
    coerced = _coerced_variables(info)
    variables = VariableValues(sources={}, coerced=coerced)
    arguments = get_argument_values(field_definition, node, variables)
    return {
        "arguments": arguments,
        "identity": context.identity,
        "source": source if isinstance(source, dict) else None,
        "request": {"headers": context.headers, "domainName": context.domain_name},
        "info": {
            "fieldName": info.field_name,
            "parentTypeName": info.parent_type.name,
            "selectionSetGraphQL": print_ast(node.selection_set) if node.selection_set else "",
            "selectionSetList": selection_set_list(node.selection_set, info),
            "variables": coerced,
        },
        "prev": None,
        "stash": {},
    }


BATCH_ITEM_KEYS = frozenset({"data", "errorMessage", "errorType"})
"""The keys of a BatchInvoke result item in the form AppSync documents for individual errors."""


def batch_item_result(item: Any) -> Any:
    """One BatchInvoke result item as AppSync reads it: a bare item is the field's result, as powertools
    returns them; an item made of ``data``, ``errorMessage`` and ``errorType`` alone is ``data``, unless it
    names an error, which then fails that item's field alone. An error with a message and no type is
    named ``Lambda:Unhandled``, as the mirror names any other failure that carries no type."""
    if not isinstance(item, dict) or not item or not item.keys() <= BATCH_ITEM_KEYS:
        return item
    if item.get("errorType") is None and item.get("errorMessage") is None:
        return item.get("data")
    raise LambdaError(str(item.get("errorType") or "Lambda:Unhandled"), str(item.get("errorMessage") or ""))


@dataclass
class _Pending:
    events: list[dict[str, Any]] = field(default_factory=list)
    futures: list[asyncio.Future[Any]] = field(default_factory=list)


class Batcher:
    """Collects one request's calls to a batched field and sends them as BatchInvoke lists.

    Sibling fields arrive over a few turns of the event loop, so a batch is sent only once a turn
    passes that adds nothing to it; each send holds at most the field's maxBatchSize events.
    """

    def __init__(self, runtime: Invoker, max_sizes: dict[tuple[str, str], int]) -> None:
        self.runtime = runtime
        self.max_sizes = max_sizes
        self._pending: dict[tuple[str, str], _Pending] = {}
        self._sending: set[asyncio.Task[None]] = set()

    def load(self, key: tuple[str, str], event: dict[str, Any]) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        pending = self._pending.get(key)
        if pending is None:
            pending = self._pending[key] = _Pending()
            loop.call_soon(self._settle, key, 0)
        pending.events.append(event)
        pending.futures.append(future)
        return future

    def _settle(self, key: tuple[str, str], seen: int) -> None:
        pending = self._pending[key]
        if len(pending.events) != seen:
            asyncio.get_running_loop().call_soon(self._settle, key, len(pending.events))
            return
        del self._pending[key]
        size = self.max_sizes[key]
        for start in range(0, len(pending.events), size):
            task = asyncio.ensure_future(
                self._send(pending.events[start : start + size], pending.futures[start : start + size])
            )
            self._sending.add(task)
            task.add_done_callback(self._sending.discard)

    async def _send(self, events: list[dict[str, Any]], futures: list[asyncio.Future[Any]]) -> None:
        try:
            results = await self.runtime.invoke(events)
            if not isinstance(results, list) or len(results) != len(events):
                raise LambdaError("Lambda:Unhandled", "A batch resolver must return one result per event")
        except Exception as error:
            for future in futures:
                if not future.done():
                    future.set_exception(error)
            return
        for future, result in zip(futures, results, strict=True):
            if future.done():
                continue
            try:
                future.set_result(batch_item_result(result))
            except LambdaError as error:
                future.set_exception(error)
