"""One record per GraphQL request: what the operation was, which Lambda invocations it made, how it ended.

The `gather dev` console prints these; AppSync's counterpart is its request-level logging to CloudWatch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from mirror.lambda_runtime import Invocation


@dataclass
class RequestRecord:
    request_id: str
    operation_type: str
    """``query``, ``mutation``, ``subscription``; ``invalid`` when the document did not get that far."""
    operation_name: str | None
    duration_ms: float
    invocations: list[Invocation]
    error_types: list[str]


class RequestLog(SchemaExtension):
    """Hands a RequestRecord to ``sink`` when an operation ends (a subscription's when it closes)."""

    def __init__(self, sink: Callable[[RequestRecord], None], error_type: Callable[[GraphQLError], str]) -> None:
        self.sink = sink
        self.error_type = error_type

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context
        try:
            operation_type = context.operation_type.value
        except RuntimeError:  # the document did not parse or names no operation
            operation_type = "invalid"
        request = context.context
        errors = context.result.errors if context.result and context.result.errors else []
        self.sink(
            RequestRecord(
                request_id=getattr(request, "request_id", ""),
                operation_type=operation_type,
                operation_name=context.operation_name,
                duration_ms=(time.perf_counter() - started) * 1000,
                invocations=list(getattr(request, "invocations", [])),
                error_types=[self.error_type(error) for error in errors],
            )
        )
