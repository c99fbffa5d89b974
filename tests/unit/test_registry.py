"""Every way powertools lets a router register a field is served and listed, or refused naming the field."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, cast

import pytest
from aws_lambda_powertools.event_handler import AppSyncResolver
from aws_lambda_powertools.event_handler.graphql_appsync.router import Router

from resolvers import handler

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext
from resolvers.api import served_fields
from resolvers.registry import RecordingRouter, RegistrationError, served

SIZES = {("Event", "host"): 7}
CONTEXT = cast("LambdaContext", None)  # powertools only stores the context


def _batch_event(type_name: str, field_name: str, sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "arguments": {},
            "source": source,
            "identity": None,
            "info": {"parentTypeName": type_name, "fieldName": field_name},
        }
        for source in sources
    ]


def _app(router: RecordingRouter) -> AppSyncResolver:
    app = AppSyncResolver()  # type: ignore[no-untyped-call]
    app.include_router(router)
    return app


def test_a_single_resolver_is_served_and_listed() -> None:
    router = RecordingRouter()

    @router.resolver(type_name="Query", field_name="ping")
    def ping() -> str:
        return "pong"

    assert served([router], SIZES) == {("Query", "ping"): None}
    event = {"arguments": {}, "identity": None, "info": {"parentTypeName": "Query", "fieldName": "ping"}}
    assert _app(router).resolve(event, CONTEXT) == "pong"


@pytest.mark.parametrize("form", ["batch_resolver", "async_batch_resolver"])
def test_batch_resolvers_sync_and_async_are_served_and_listed_with_their_size(form: str) -> None:
    router = RecordingRouter()
    register = getattr(router, form)(type_name="Event", field_name="host", aggregate=False)
    if form == "batch_resolver":

        def host(event: Any) -> str:
            return f"host of {event.source['id']}"
    else:

        async def host(event: Any) -> str:  # type: ignore[misc]
            return f"host of {event.source['id']}"

    register(host)
    assert served([router], SIZES) == {("Event", "host"): 7}
    answer = _app(router).resolve(_batch_event("Event", "host", [{"id": "a"}, {"id": "b"}]), CONTEXT)
    assert answer == ["host of a", "host of b"]


def _register(form: str, **where: Any) -> RecordingRouter:
    router = RecordingRouter()

    def field_resolver(*_: Any) -> None:
        return None

    getattr(router, form)(**where)(field_resolver)
    return router


@pytest.mark.parametrize("form", ["resolver", "batch_resolver", "async_batch_resolver"])
def test_any_type_is_refused_naming_the_field(form: str) -> None:
    with pytest.raises(RegistrationError, match=r"\*\.host .*name its type_name"):
        served([_register(form, field_name="host")], SIZES)


@pytest.mark.parametrize("form", ["resolver", "batch_resolver", "async_batch_resolver"])
def test_a_registration_without_a_field_is_refused(form: str) -> None:
    with pytest.raises(RegistrationError, match=r"Event\.None .*name the field"):
        served([_register(form, type_name="Event")], SIZES)


@pytest.mark.parametrize("form", ["batch_resolver", "async_batch_resolver"])
def test_a_batched_field_without_a_batch_size_is_refused(form: str) -> None:
    with pytest.raises(RegistrationError, match=r"Event\.venue .*maxBatchSize"):
        served([_register(form, type_name="Event", field_name="venue")], SIZES)


def test_a_single_resolver_for_a_batched_field_is_refused() -> None:
    with pytest.raises(RegistrationError, match=r"Event\.host .*register a batch resolver"):
        served([_register("resolver", type_name="Event", field_name="host")], SIZES)


def test_an_async_single_resolver_is_refused() -> None:
    router = RecordingRouter()

    @router.resolver(type_name="Query", field_name="ping")
    async def ping() -> str:
        return "pong"

    with pytest.raises(RegistrationError, match=r"Query\.ping .*plain def"):
        served([router], SIZES)


@pytest.mark.parametrize("second", ["batch_resolver", "async_batch_resolver"])
def test_a_field_registered_twice_is_refused(second: str) -> None:
    routers = [_register("batch_resolver", type_name="Event", field_name="host")]
    routers.append(_register(second, type_name="Event", field_name="host"))
    with pytest.raises(RegistrationError, match=r"Event\.host .*already registered"):
        served(routers, SIZES)


def test_the_recording_router_wraps_every_registration_decorator_powertools_has() -> None:
    """A registration form added by a powertools upgrade must be wrapped here before it can go unlisted."""
    forms = {
        name
        for name, member in inspect.getmembers(Router, inspect.isfunction)
        if name.endswith("resolver") and not name.startswith("_")
    }
    assert forms == {"resolver", "batch_resolver", "async_batch_resolver"}
    assert all(name in vars(RecordingRouter) for name in forms)


def test_the_handler_serves_exactly_the_listed_fields() -> None:
    """The list agrees with powertools' own (private) registries of the handler's app."""
    registries = (
        handler.app._resolver_registry,
        handler.app._batch_resolver_registry,
        handler.app._async_batch_resolver_registry,
    )
    registered = {tuple(key.split(".", 1)) for registry in registries for key in registry.resolvers}
    assert registered == set(served_fields())
