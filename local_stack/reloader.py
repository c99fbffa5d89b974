"""Reload on save: a change under ``resolvers/`` or ``spa_contract/`` is a new deployment (the Lambda, and what
it derives: config.json, the CSP, the table), one to ``schema.graphql`` rebuilds the mirror's schema. Each reload
is reported with the files saved, what changed and how long it took."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from watchfiles import Change, PythonFilter, watch


@dataclass(frozen=True)
class Reload:
    what: str
    """``resolvers`` or ``schema``."""
    changed: tuple[str, ...]
    """The saved files, relative to the watched directory's parent."""
    seconds: float
    error: str | None = None
    """Set when the reload was refused (a schema that does not build, fields not accounted for); the last good
    deployment and schema keep serving."""
    changes: tuple[str, ...] = ()
    """What the reload changed beyond the code: resolvers, schema fields, table indexes, config.json, the CSP."""


class Reloader:
    """Two watcher threads: the code's packages (recursively, Python files) and the schema file's directory."""

    def __init__(
        self,
        code_packages: list[Path],
        schema_path: Path,
        redeploy: Callable[[], list[str]],
        rebuild_schema: Callable[[], list[str]],
    ) -> None:
        self.code_packages = [package for package in code_packages if package.is_dir()]
        self.schema_path = schema_path
        self.redeploy = redeploy
        self.rebuild_schema = rebuild_schema
        self.listeners: list[Callable[[Reload], None]] = []
        """Told about every reload (the console, and tests that wait for one)."""
        self._stop = threading.Event()
        self._ready = threading.Barrier(3)
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Returns once both watchers are watching, so a save right after start is seen."""
        self._threads = [
            threading.Thread(target=self._watch_code, name="reload-resolvers", daemon=True),
            threading.Thread(target=self._watch_schema, name="reload-schema", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self._ready.wait()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _watch_code(self) -> None:
        changes = watch(
            *self.code_packages,
            watch_filter=PythonFilter(),
            stop_event=self._stop,
            yield_on_timeout=True,
            rust_timeout=500,
        )
        self._watch(changes, "resolvers", self.code_packages[0].parent, self.redeploy)

    def _watch_schema(self) -> None:
        name = self.schema_path.name

        def is_schema(_: Change, path: str) -> bool:
            return Path(path).name == name

        changes = watch(
            self.schema_path.parent,
            watch_filter=is_schema,
            recursive=False,
            stop_event=self._stop,
            yield_on_timeout=True,
            rust_timeout=500,
        )
        self._watch(changes, "schema", self.schema_path.parent, self.rebuild_schema)

    def _watch(
        self, changes: Iterator[set[tuple[Change, str]]], what: str, root: Path, reload: Callable[[], list[str]]
    ) -> None:
        """The first yield (empty, after rust_timeout) means the watch is in place: start() may return."""
        signalled = False
        for batch in changes:
            if not signalled:
                signalled = True
                self._ready.wait()
            if not batch:
                continue
            changed = tuple(sorted({str(Path(path).relative_to(root)) for _, path in batch}))
            started = time.monotonic()
            try:
                made = reload()
            except Exception as error:
                self._notify(Reload(what, changed, time.monotonic() - started, str(error)))
                continue
            self._notify(Reload(what, changed, time.monotonic() - started, changes=tuple(made)))

    def _notify(self, reload: Reload) -> None:
        for listener in list(self.listeners):
            listener(reload)
