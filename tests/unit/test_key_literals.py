"""Keys and index names are spelled only in resolvers/table_definition.py (checked on the code itself)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from resolvers import table_definition

RESOLVERS = Path(table_definition.__file__).parent
KEY_NAMES = {
    table_definition.PARTITION_KEY,
    table_definition.SORT_KEY,
    table_definition.UPCOMING_INDEX,
    table_definition.UPCOMING_PARTITION_KEY,
    table_definition.UPCOMING_SORT_KEY,
}
KEY_LITERAL = re.compile(
    "|".join(
        [
            *(rf"\b{re.escape(name)}\b" for name in KEY_NAMES),
            r"\b(EVENT|USER|RSVP|COMMENT)#",
            r"^(EVENT|EVENTS|PROFILE|COMMENTS)$",
        ]
    )
)


def _key_literals(source: str) -> list[str]:
    """String constants that spell a key, an index or a key format, docstrings aside."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and KEY_LITERAL.search(node.value)
    ]


def test_no_module_but_the_table_definition_spells_a_key() -> None:
    found = {
        str(path.relative_to(RESOLVERS)): literals
        for path in sorted(RESOLVERS.rglob("*.py"))
        if path.name != "table_definition.py" and (literals := _key_literals(path.read_text()))
    }
    assert found == {}


def test_the_check_finds_key_literals() -> None:
    source = '"""PK in a docstring is fine."""\nK = f"EVENT#{x}"\nC = "attribute_exists(PK)"\nS = "PROFILE"\nT = "t"\n'
    assert sorted(_key_literals(source)) == ["EVENT#", "PROFILE", "attribute_exists(PK)"]
