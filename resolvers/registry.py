"""Which fields the handler serves, recorded as the routers register them, and checked at import.

CDK deploys a resolver for each served field and the mirror serves exactly these, so a registration
either lands here or stops the import of ``resolvers.api`` (and so the handler's) with a message naming
the field. The record is kept
through powertools' public decorators (``RecordingRouter`` wraps each one); its registries are private.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.event_handler.graphql_appsync.router import Router

from resolvers.batching import BATCH_MAX_SIZE

SINGLE = "resolver"
BATCH = "batch_resolver"
ASYNC_BATCH = "async_batch_resolver"
ANY_TYPE = "*"
"""powertools' default type_name: the field on every type without a resolver of its own."""


class RegistrationError(ValueError):
    """A registration the API would neither deploy nor serve as written."""


@dataclass(frozen=True)
class Registration:
    form: str
    type_name: str
    field_name: str | None
    function: Callable[..., Any]

    def describe(self) -> str:
        return f"{self.type_name}.{self.field_name} (@{self.form} {self.function.__qualname__})"


class RecordingRouter(Router):
    """A powertools Router that records every registration made through its decorators."""

    def __init__(self) -> None:
        super().__init__()
        self.registrations: list[Registration] = []

    def resolver(self, type_name: str = ANY_TYPE, field_name: str | None = None) -> Callable[..., Any]:
        return self._recorded(
            SINGLE, type_name, field_name, super().resolver(type_name=type_name, field_name=field_name)
        )

    def batch_resolver(
        self,
        type_name: str = ANY_TYPE,
        field_name: str | None = None,
        raise_on_error: bool = False,
        aggregate: bool = True,
    ) -> Callable[..., Any]:
        register = super().batch_resolver(
            type_name=type_name, field_name=field_name, raise_on_error=raise_on_error, aggregate=aggregate
        )
        return self._recorded(BATCH, type_name, field_name, register)

    def async_batch_resolver(
        self,
        type_name: str = ANY_TYPE,
        field_name: str | None = None,
        raise_on_error: bool = False,
        aggregate: bool = True,
    ) -> Callable[..., Any]:
        register = super().async_batch_resolver(
            type_name=type_name, field_name=field_name, raise_on_error=raise_on_error, aggregate=aggregate
        )
        return self._recorded(ASYNC_BATCH, type_name, field_name, register)

    def _recorded(
        self, form: str, type_name: str, field_name: str | None, register: Callable[..., Any]
    ) -> Callable[..., Any]:
        def record(function: Callable[..., Any]) -> Any:
            self.registrations.append(Registration(form, type_name, field_name, function))
            return register(function)

        return record


def served(
    routers: Iterable[RecordingRouter], batch_sizes: Mapping[tuple[str, str], int] = BATCH_MAX_SIZE
) -> dict[tuple[str, str], int | None]:
    """(type, field) → maxBatchSize for batched fields, None for single ones; refuses what would not work."""
    fields: dict[tuple[str, str], int | None] = {}
    for router in routers:
        for registration in router.registrations:
            key = _checked_key(registration)
            if key in fields:
                raise RegistrationError(f"{registration.describe()}: {key[0]}.{key[1]} is already registered")
            batched = registration.form != SINGLE
            if batched and key not in batch_sizes:
                raise RegistrationError(
                    f"{registration.describe()}: a batched field needs its maxBatchSize in resolvers/batching.py"
                )
            if not batched and key in batch_sizes:
                raise RegistrationError(
                    f"{registration.describe()}: resolvers/batching.py batches this field; register a batch resolver"
                )
            fields[key] = batch_sizes[key] if batched else None
    return fields


def _checked_key(registration: Registration) -> tuple[str, str]:
    if not registration.field_name:
        raise RegistrationError(f"{registration.describe()}: name the field")
    if registration.type_name == ANY_TYPE:
        raise RegistrationError(
            f"{registration.describe()}: AppSync attaches a resolver to one type's field; name its type_name"
        )
    if registration.form == SINGLE and inspect.iscoroutinefunction(registration.function):
        raise RegistrationError(
            f"{registration.describe()}: the handler resolves single fields synchronously; use a plain def"
        )
    return registration.type_name, registration.field_name
