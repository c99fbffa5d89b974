"""The local Lambda keeps Lambda's contract: its timeout, its payload limit, replaced environments, deployments."""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mirror.lambda_runtime import (
    RESPONSE_LIMIT_BYTES,
    FunctionConfig,
    Invocation,
    LambdaError,
    LambdaRuntime,
    RuntimeNotice,
)
from resolvers import function_settings

HANDLERS = Path(__file__).with_name("lambda_handlers.py")


@pytest.fixture
def handler_dir(tmp_path: Path) -> Path:
    """A copy of the test handlers as their own module, so a test can change the code and redeploy."""
    shutil.copy(HANDLERS, tmp_path / "handlers_under_test.py")
    return tmp_path


def _runtime(handler_dir: Path, workers: int = 1, timeout_seconds: float = 10) -> LambdaRuntime:
    runtime = LambdaRuntime(
        {"PYTHONPATH": str(handler_dir)},
        workers=workers,
        function=FunctionConfig(
            handler="handlers_under_test.handler",
            timeout_seconds=timeout_seconds,
            registry="handlers_under_test.served_fields",
        ),
    )
    runtime.warm_up()
    return runtime


@pytest.fixture
def runtime(handler_dir: Path) -> Iterator[LambdaRuntime]:
    runtime = _runtime(handler_dir, timeout_seconds=2)
    yield runtime
    runtime.close()


def _replacements(runtime: LambdaRuntime) -> tuple[threading.Event, list[RuntimeNotice]]:
    replaced = threading.Event()
    notices: list[RuntimeNotice] = []

    def listen(notice: RuntimeNotice) -> None:
        notices.append(notice)
        if notice.kind == "replaced":
            replaced.set()

    runtime.listeners.append(listen)
    return replaced, notices


def test_the_function_settings_are_the_defaults() -> None:
    config = FunctionConfig()
    assert (config.handler, config.timeout_seconds, config.memory_mb) == (
        function_settings.HANDLER,
        function_settings.TIMEOUT_SECONDS,
        function_settings.MEMORY_MB,
    )


async def test_context_counts_down_from_the_timeout_and_logs_come_back_with_the_invocation(
    runtime: LambdaRuntime,
) -> None:
    records: list[Invocation] = []
    described = await runtime.invoke({"action": "describe"}, records.append)
    assert 0 < described["remainingMs"] <= 2000
    assert described["memoryMb"] == function_settings.MEMORY_MB
    assert described["pid"] in runtime.environment_pids()
    [record] = records
    assert record.logs == f"describing {record.request_id}\n"
    assert record.error is None


async def test_all_environments_are_warm_after_warm_up(handler_dir: Path) -> None:
    runtime = _runtime(handler_dir, workers=3)
    try:
        assert len(runtime.environment_pids()) == 3
    finally:
        runtime.close()
    assert runtime.environment_pids() == []


async def test_an_invocation_past_the_timeout_is_ended_as_lambda_ends_it(runtime: LambdaRuntime) -> None:
    replaced, notices = _replacements(runtime)
    [old_pid] = runtime.environment_pids()
    with pytest.raises(LambdaError) as raised:
        await runtime.invoke({"action": "sleep", "seconds": 60})
    assert raised.value.error_type == "Sandbox.Timedout"
    assert raised.value.message.endswith("Error: Task timed out after 2.00 seconds")
    assert not _alive(old_pid)
    described = await runtime.invoke({"action": "describe"})
    assert described["pid"] != old_pid
    await asyncio.get_running_loop().run_in_executor(None, replaced.wait)
    assert f"Lambda environment {old_pid} timed out" in notices[0].message


async def test_a_response_over_six_megabytes_fails_as_lambda_fails_it(runtime: LambdaRuntime) -> None:
    fits = await runtime.invoke({"action": "large", "count": RESPONSE_LIMIT_BYTES - 2})  # the JSON quotes count
    assert len(fits) == RESPONSE_LIMIT_BYTES - 2
    with pytest.raises(LambdaError) as raised:
        await runtime.invoke({"action": "large", "count": RESPONSE_LIMIT_BYTES - 1})
    assert raised.value.error_type == "Function.ResponseSizeTooLarge"
    assert "(6291556 bytes)" in raised.value.message


@pytest.mark.parametrize("character", ["é", "€", "😀"])
async def test_the_size_limit_counts_non_ascii_as_lambda_writes_it(runtime: LambdaRuntime, character: str) -> None:
    """Lambda's Python runtime writes non-ASCII unescaped: a character costs its UTF-8 bytes, not a \\u escape."""
    width = len(character.encode())
    most = (RESPONSE_LIMIT_BYTES - 2) // width
    assert await runtime.invoke({"action": "large", "character": character, "count": most}) == character * most
    with pytest.raises(LambdaError) as raised:
        await runtime.invoke({"action": "large", "character": character, "count": most + 1})
    assert raised.value.error_type == "Function.ResponseSizeTooLarge"


async def test_an_environment_that_dies_is_reported_and_replaced(runtime: LambdaRuntime) -> None:
    replaced, notices = _replacements(runtime)
    [old_pid] = runtime.environment_pids()
    with pytest.raises(LambdaError) as raised:
        await runtime.invoke({"action": "die"})
    assert raised.value.error_type == "Runtime.ExitError"
    assert raised.value.message.endswith("Error: Runtime exited with error: signal: killed")
    assert (await runtime.invoke({"action": "describe"}))["pid"] != old_pid
    await asyncio.get_running_loop().run_in_executor(None, replaced.wait)
    assert notices[0].message.startswith(f"Lambda environment {old_pid} exited (signal: killed); replaced by ")


async def test_a_handler_error_reports_its_type_and_keeps_the_environment(runtime: LambdaRuntime) -> None:
    [pid] = runtime.environment_pids()
    records: list[Invocation] = []
    with pytest.raises(LambdaError) as raised:
        await runtime.invoke({"action": "unknown"}, records.append)
    assert (raised.value.error_type, raised.value.message) == ("KeyError", "'unknown'")
    assert records[0].error is not None
    assert any("handlers_under_test.py" in line for line in records[0].error["stackTrace"])
    assert runtime.environment_pids() == [pid]


async def test_a_new_deployment_serves_new_code_while_running_invocations_finish_on_the_old(
    handler_dir: Path,
) -> None:
    runtime = _runtime(handler_dir, workers=2)
    loop = asyncio.get_running_loop()
    started, release = handler_dir / "started", handler_dir / "release"
    os.mkfifo(started)
    os.mkfifo(release)
    try:
        old_pids = set(runtime.environment_pids())
        holding = asyncio.ensure_future(
            runtime.invoke({"action": "hold", "started": str(started), "release": str(release)})
        )
        assert await loop.run_in_executor(None, started.read_text) == "started\n"

        module = handler_dir / "handlers_under_test.py"
        module.write_text(module.read_text().replace('VERSION = "one"', 'VERSION = "two"'))
        await loop.run_in_executor(None, runtime.redeploy)
        described = await runtime.invoke({"action": "describe"})
        assert described["version"] == "two"
        assert described["pid"] not in old_pids

        await loop.run_in_executor(None, release.write_text, "go")
        assert await holding == {"version": "one", "release": "go"}
        assert not set(runtime.environment_pids()) & old_pids
        assert len(runtime.environment_pids()) == 2
    finally:
        runtime.close()


async def test_code_that_does_not_import_is_reported_on_every_invocation_as_lambda_names_it(handler_dir: Path) -> None:
    runtime = _runtime(handler_dir)
    notices: list[RuntimeNotice] = []
    runtime.listeners.append(notices.append)
    try:
        module = handler_dir / "handlers_under_test.py"
        module.write_text(module.read_text() + "\ndef broken(:\n")
        await asyncio.get_running_loop().run_in_executor(None, runtime.redeploy)
        with pytest.raises(LambdaError) as raised:
            await runtime.invoke({"action": "describe"})
        assert raised.value.error_type == "Runtime.UserCodeSyntaxError"
        assert raised.value.message.startswith("Syntax error in module 'handlers_under_test': ")
        assert [notice.kind for notice in notices] == ["init-failed"]
        assert "SyntaxError" in notices[0].detail
    finally:
        runtime.close()


async def test_snapstart_hooks_run_once_each_before_the_first_invocation(runtime: LambdaRuntime) -> None:
    """As a published SnapStart version: the before-snapshot hooks at init, the after-restore ones on resuming."""
    first = await runtime.invoke({"action": "describe"})
    second = await runtime.invoke({"action": "describe"})
    assert first["pid"] == second["pid"]
    assert first["hooks"] == second["hooks"] == ["before-snapshot", "after-restore"]


async def _broken_hook(handler_dir: Path, hook: str) -> tuple[list[LambdaError], list[RuntimeNotice]]:
    """Deploys the handlers with ``hook`` raising; what two invocations and the runtime's notices say."""
    runtime = _runtime(handler_dir)
    notices: list[RuntimeNotice] = []
    runtime.listeners.append(notices.append)
    errors: list[LambdaError] = []
    try:
        module = handler_dir / "handlers_under_test.py"
        module.write_text(module.read_text().replace('BROKEN_HOOK = ""', f'BROKEN_HOOK = "{hook}"'))
        await asyncio.get_running_loop().run_in_executor(None, runtime.redeploy)
        for _ in range(2):
            with pytest.raises(LambdaError) as raised:
                await runtime.invoke({"action": "describe"})
            errors.append(raised.value)
    finally:
        runtime.close()
    return errors, notices


async def test_a_broken_before_snapshot_hook_fails_the_init(handler_dir: Path) -> None:
    errors, notices = await _broken_hook(handler_dir, "before-snapshot")
    assert [(error.error_type, error.message) for error in errors] == [
        ("RuntimeError", "the before-snapshot hook broke")
    ] * 2
    assert [notice.kind for notice in notices] == ["init-failed"]


async def test_a_broken_after_restore_hook_fails_invocations_as_lambda_reports_it(handler_dir: Path) -> None:
    errors, notices = await _broken_hook(handler_dir, "after-restore")
    assert {error.error_type for error in errors} == {"SnapStartException"}
    assert all("the after-restore hook broke" in error.message for error in errors)
    assert notices == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_each_deployment_says_which_fields_its_code_serves(handler_dir: Path) -> None:
    """What the mirror gives a resolver follows the deployed code, as CDK's resolvers follow the synthesized
    registry; code that does not import leaves the last deployment's fields."""
    runtime = _runtime(handler_dir)
    loop = asyncio.get_running_loop()
    try:
        assert runtime.served_fields() == {("Query", "describe"): None}
        module = handler_dir / "handlers_under_test.py"
        source = module.read_text()
        module.write_text(
            source.replace('{("Query", "describe"): None}', '{("Query", "describe"): None, ("Event", "x"): 7}')
        )
        await loop.run_in_executor(None, runtime.redeploy)
        assert runtime.served_fields() == {("Query", "describe"): None, ("Event", "x"): 7}

        module.write_text(source + "\ndef broken(:\n")
        await loop.run_in_executor(None, runtime.redeploy)
        assert runtime.served_fields() == {("Query", "describe"): None, ("Event", "x"): 7}
    finally:
        runtime.close()
