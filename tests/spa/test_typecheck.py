"""`make typecheck-spa` holds the SPA to the schema: a misspelled field name fails it, naming the file and line.

Each test runs spa_types/typecheck (what the make target runs) on a copy of the SPA with misspellings planted: in
every GraphQL document of every module, and in every property read of a field (of the schema's types or of
config.json) in every module tsc checks. A read that tsc cannot check (a value typed `any`) would go unreported, and
the test names it; so would a module left out of tsc's program.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType

from mirror.appsync_sdl import appsync_schema
from spa_contract.config_types import declarations

ROOT = Path(__file__).resolve().parents[2]
TYPECHECK = Path("spa_types/typecheck")
COMMENT = re.compile(r"^\s*(//|/\*|\*)")
DECLARATION = re.compile(r"^\s*this\.\w+ = ")
"""A class's property declared in its constructor: a write that names the property, not a read of a field."""
DOCUMENT = re.compile(r"/\* GraphQL \*/ `[^{`]*\{\s*(\w+)")
"""A GraphQL document in a module (marked as check_documents.mjs finds it), up to its first selected field."""


def field_names() -> set[str]:
    """Every field of the schema's types and inputs, and every key config.json has."""
    schema = appsync_schema()
    fields = {
        name
        for graphql_type in schema.type_map.values()
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInputObjectType)
        and not graphql_type.name.startswith("__")
        for name in graphql_type.fields
    }
    return fields | set(re.findall(r"readonly (\w+)\??:", declarations()))


@pytest.fixture
def spa_copy(tmp_path: Path) -> Path:
    """What the check reads, copied: the SPA, the schemas and spa_types/ (its generated types left behind)."""
    for name in ("schema.graphql", "appsync_builtins.graphql"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "single_page_app", tmp_path / "single_page_app")
    shutil.copytree(ROOT / "spa_types", tmp_path / "spa_types", ignore=shutil.ignore_patterns("generated"))
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp_path


def typecheck(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [root / TYPECHECK],
        cwd=root,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def tsc(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """tsc alone, over the types the last full check generated."""
    command = [str(root / "node_modules" / ".bin" / "tsc"), "-p", "spa_types/tsconfig.json", "--pretty", "false"]
    return subprocess.run([*command, *arguments], cwd=root, capture_output=True, text=True, timeout=120, check=False)


def checked_modules(root: Path) -> list[str]:
    """The SPA's modules in tsc's program, as paths relative to the root."""
    spa = (root / "single_page_app").resolve()
    paths = [Path(path).resolve() for path in tsc(root, "--listFilesOnly").stdout.split()]
    return sorted(str(path.relative_to(root.resolve())) for path in paths if path.is_relative_to(spa))


def reported_lines(root: Path) -> set[tuple[str, int]]:
    result = tsc(root)
    found = re.findall(r"^(single_page_app/[\w/]+\.js)\((\d+),\d+\): error", result.stdout, re.MULTILINE)
    return {(module, int(line)) for module, line in found}


def plant_misspelled_reads(path: Path, fields: set[str], only: int | None = None) -> list[int]:
    """Misspells each `.field` / `?.field` read of a known field (on one line, or on all); returns the lines."""
    read = re.compile(r"(?<=[\w)\]?]\.)(" + "|".join(sorted(fields, key=len, reverse=True)) + r")\b")
    lines = path.read_text(encoding="utf-8").split("\n")
    planted = []
    for number, line in enumerate(lines, start=1):
        if COMMENT.match(line) or DECLARATION.match(line) or not read.search(line) or only not in (None, number):
            continue
        lines[number - 1] = read.sub(lambda found: found.group(1) + "Typo", line)
        planted.append(number)
    path.write_text("\n".join(lines), encoding="utf-8")
    return planted


def spa_modules(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in (root / "single_page_app").rglob("*.js"))


def test_tsc_checks_every_module_of_the_spa() -> None:
    """A module left out of tsc's program (not included, nor imported by one that is) would go unchecked."""
    left_out = sorted(set(spa_modules(ROOT)) - set(checked_modules(ROOT)))
    assert left_out == [], f"tsc does not check {left_out}: spa_types/tsconfig.json includes every module"


def test_a_misspelled_field_in_every_document_is_named_at_its_line(spa_copy: Path) -> None:
    """The first field each document selects, misspelled in every document of every module at once."""
    planted: list[str] = []
    for module in spa_modules(spa_copy):
        path = spa_copy / module
        text = path.read_text(encoding="utf-8")
        places = [found.start(1) for found in DOCUMENT.finditer(text)]
        for place in reversed(places):
            text = text[:place] + "misspelt" + text[place:]
            planted.append(f"{module}:{text.count(chr(10), 0, place) + 1}:")
        path.write_text(text, encoding="utf-8")
    assert any(place.startswith("single_page_app/operations.js:") for place in planted)
    result = typecheck(spa_copy)
    assert result.returncode != 0
    assert [place for place in planted if place not in result.stderr] == [], result.stderr


def test_a_misspelled_field_in_a_document_is_named_at_its_line(spa_copy: Path) -> None:
    operations = spa_copy / "single_page_app" / "operations.js"
    lines = operations.read_text(encoding="utf-8").split("\n")
    number = next(n for n, line in enumerate(lines, start=1) if "fragment" not in line and " attendeeCount " in line)
    lines[number - 1] = lines[number - 1].replace(" attendeeCount ", " attendeeTotal ", 1)
    operations.write_text("\n".join(lines), encoding="utf-8")
    result = typecheck(spa_copy)
    assert result.returncode != 0
    assert f"single_page_app/operations.js:{number}:" in result.stderr
    assert 'Cannot query field "attendeeTotal" on type "Event"' in result.stderr


def test_every_misspelled_field_read_is_named_at_its_file_and_line(spa_copy: Path) -> None:
    """One module at a time, every read at once; a read not reported is tried alone (an earlier one may hide it)."""
    passed = typecheck(spa_copy)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    fields = field_names()
    modules = checked_modules(spa_copy)
    assert "single_page_app/operations.js" in modules
    unchecked: dict[str, list[int]] = {}
    for module in modules:
        path = spa_copy / module
        original = path.read_text(encoding="utf-8")
        planted = plant_misspelled_reads(path, fields)
        reported = reported_lines(spa_copy)
        for line in (line for line in planted if (module, line) not in reported):
            path.write_text(original, encoding="utf-8")
            plant_misspelled_reads(path, fields, only=line)
            if (module, line) not in reported_lines(spa_copy):
                unchecked.setdefault(module, []).append(line)
        path.write_text(original, encoding="utf-8")
    assert unchecked == {}
