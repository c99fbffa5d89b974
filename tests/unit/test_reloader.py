"""The reloader reports each save once, with what changed and whether the reload took."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from pathlib import Path

import pytest

from local_stack.reloader import Reload, Reloader


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, queue.Queue[Reload], list[str]]]:
    (tmp_path / "resolvers").mkdir()
    (tmp_path / "spa_contract").mkdir()
    (tmp_path / "schema.graphql").write_text("type Query { a: Int }\n")
    calls: list[str] = []

    def rebuild_schema() -> list[str]:
        calls.append("schema")
        if "{{" in (tmp_path / "schema.graphql").read_text():
            raise ValueError("Syntax Error: Expected Name, found '{'.")
        return ["schema field added: Query.b"]

    def redeploy() -> list[str]:
        calls.append("code")
        return ["config.json limits.pageSize.max: 100 → 50"]

    schema = tmp_path / "schema.graphql"
    reloader = Reloader([tmp_path / "resolvers", tmp_path / "spa_contract"], schema, redeploy, rebuild_schema)
    reloads: queue.Queue[Reload] = queue.Queue()
    reloader.listeners.append(reloads.put)
    reloader.start()
    yield tmp_path, reloads, calls
    reloader.stop()


def test_a_saved_resolver_is_a_new_deployment(watched: tuple[Path, queue.Queue[Reload], list[str]]) -> None:
    root, reloads, calls = watched
    (root / "resolvers" / "handler.py").write_text("VALUE = 2\n")
    reload = reloads.get(timeout=30)
    assert (reload.what, reload.changed, reload.error) == ("resolvers", ("resolvers/handler.py",), None)
    assert reload.changes == ("config.json limits.pageSize.max: 100 → 50",)
    assert calls == ["code"]


def test_a_saved_spa_contract_is_a_new_deployment_too(watched: tuple[Path, queue.Queue[Reload], list[str]]) -> None:
    root, reloads, calls = watched
    (root / "spa_contract" / "csp.py").write_text("POLICY = 1\n")
    reload = reloads.get(timeout=30)
    assert (reload.changed, reload.error) == (("spa_contract/csp.py",), None)
    assert calls == ["code"]


def test_a_schema_edit_rebuilds_and_a_broken_one_is_reported(
    watched: tuple[Path, queue.Queue[Reload], list[str]],
) -> None:
    root, reloads, calls = watched
    (root / "notes.txt").write_text("not watched\n")
    (root / "schema.graphql").write_text("type Query {{ a: Int }\n")
    refused = reloads.get(timeout=30)
    assert (refused.what, refused.changed) == ("schema", ("schema.graphql",))
    assert refused.error == "Syntax Error: Expected Name, found '{'."
    (root / "schema.graphql").write_text("type Query { b: Int }\n")
    reloaded = reloads.get(timeout=30)
    assert (reloaded.error, reloaded.changes) == (None, ("schema field added: Query.b",))
    assert calls == ["schema", "schema"]
