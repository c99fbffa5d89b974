"""config.json's shape as TypeScript, for the SPA's type check: written from ClientConfig, so the two cannot differ.

`make typecheck-spa` runs ``python -m spa_contract.config_types <file>``; the SPA's modules name ``Config``.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

from spa_contract.config_json import ClientConfig

SCALARS: dict[type, str] = {str: "string", bool: "boolean", int: "number", float: "number", type(None): "null"}


def typescript(annotation: object, interfaces: dict[str, str]) -> str:
    """The TypeScript type of a config.json value; a TypedDict becomes an interface of its own, in ``interfaces``."""
    if isinstance(annotation, type) and annotation in SCALARS:
        return SCALARS[annotation]
    if isinstance(annotation, type) and is_typeddict(annotation):
        name = annotation.__name__
        if name not in interfaces:
            interfaces[name] = ""  # taken before its fields, which may name it again
            optional: frozenset[str] = getattr(annotation, "__optional_keys__", frozenset())
            fields = "".join(
                f"  readonly {key}{'?' if key in optional else ''}: {typescript(value, interfaces)};\n"
                for key, value in get_type_hints(annotation).items()
            )
            interfaces[name] = f"export interface {name} {{\n{fields}}}\n"
        return name
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is list or origin is tuple:
        item = typescript(args[0], interfaces)
        return f"readonly ({item})[]" if " | " in item else f"readonly {item}[]"
    if origin is dict:
        return f"Readonly<Record<{typescript(args[0], interfaces)}, {typescript(args[1], interfaces)}>>"
    if origin is Union or origin is types.UnionType:
        return " | ".join(typescript(arg, interfaces) for arg in args)
    if origin is Literal:
        return " | ".join(f'"{arg}"' if isinstance(arg, str) else str(arg).lower() for arg in args)
    raise TypeError(f"config.json has a value whose TypeScript type is not known here: {annotation!r}")


def declarations() -> str:
    interfaces: dict[str, str] = {}
    typescript(ClientConfig, interfaces)
    return "// Written by spa_contract/config_types.py from ClientConfig; not to be edited.\n\n" + "\n".join(
        interfaces.values()
    )


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(declarations(), encoding="utf-8")
