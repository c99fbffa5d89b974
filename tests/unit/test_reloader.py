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
    (tmp_path / "schema.graphql").write_text("type Query { a: Int }\n")
    calls: list[str] = []

    def rebuild_schema() -> None:
        calls.append("schema")
        if "{{" in (tmp_path / "schema.graphql").read_text():
            raise ValueError("Syntax Error: Expected Name, found '{'.")

    schema = tmp_path / "schema.graphql"
    reloader = Reloader(tmp_path / "resolvers", schema, lambda: calls.append("code"), rebuild_schema)
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
    assert reloads.get(timeout=30).error is None
    assert calls == ["schema", "schema"]
