"""Records to DynamoDB items and back.

A record's TypedDict (``resolvers.records``) is the one declaration of its fields: an item is written from
the record's keys, and read back as exactly the declared fields (keys and index attributes stay in
storage), each converted to its declared type. DynamoDB has one number type, read here as ``Decimal``: a
field declared ``int`` comes back an int, ``float`` a float, and lists, sets, maps and nested records are
converted element by element. A field declared ``X | None`` is left out of the item while it is None and
reads back as None when absent.

The wire format (``{"S": ...}``, ``{"N": ...}``, ...) is written and read here, as boto3's TypeSerializer
and TypeDeserializer do (a unit test holds the two to the same answers): the functions talk to DynamoDB
through botocore alone, since importing anything of boto3 costs every cold start its S3 transfer manager
and resource layer (``resolvers/aws.py``).

Here too is an item's size by DynamoDB's rules, and what reading or writing it costs: the store bounds items by
it (a comment head stays within one read unit) and the benchmarks price operations with it.
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable, Hashable, Mapping
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from functools import cache
from typing import Any, TypeVar, Union, cast, get_args, get_origin, get_type_hints, is_typeddict

R = TypeVar("R")
Item = dict[str, Any]
"""One item (or attribute map) in DynamoDB's wire format."""
Convert = Callable[[Any], Any]
READ_UNIT_BYTES = 4096
"""A read unit reads this much of an item, rounded up per item (BatchGetItem) or per Query page."""
WRITE_UNIT_BYTES = 1024

NUMBERS = Context(Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow])
"""What a DynamoDB number holds: 38 significant digits, exponents from -128 to +126; anything else is refused."""


class MissingAttribute(KeyError):
    """An item lacks a field its record declares as required (and no default stands in for it)."""


def attribute(value: object) -> dict[str, Any]:
    """One value in DynamoDB's wire format: floats travel as exact decimals."""
    return _wire(_storable(value))


def item_of(record: Mapping[str, Any]) -> Item:
    """A record's fields as item attributes; a field that is None is left out, so it reads back as None."""
    return {name: attribute(value) for name, value in record.items() if value is not None}


def record_of(record_type: type[R], item: Mapping[str, Any], defaults: Mapping[str, Any] | None = None) -> R:
    """The fields ``record_type`` declares, read from ``item`` as their declared types.

    ``defaults`` stands in for required fields that items written before the field existed lack.
    """
    declared = _fields(cast("Hashable", record_type))
    values = {name: _plain(item[name]) for name in declared if name in item}
    return _record(record_type, values, defaults or {})


def _record(record_type: type[R], values: Mapping[str, Any], defaults: Mapping[str, Any]) -> R:
    record: dict[str, Any] = {}
    for name, (convert, optional) in _fields(cast("Hashable", record_type)).items():
        if name in values:
            record[name] = convert(values[name])
        elif name in defaults:
            record[name] = defaults[name]
        elif optional:
            record[name] = None
        else:
            raise MissingAttribute(f"{record_type.__name__}.{name} is missing from the item")
    return cast(R, record)


def _wire(value: object) -> dict[str, Any]:  # noqa: PLR0911 - one branch per DynamoDB type
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | Decimal):
        return {"N": _number(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bytes | bytearray):
        return {"B": bytes(value)}
    if isinstance(value, Mapping):
        return {"M": {str(key): _wire(entry) for key, entry in value.items()}}
    if isinstance(value, list | tuple):
        return {"L": [_wire(entry) for entry in value]}
    if isinstance(value, set | frozenset) and value:
        return _wire_set(value)
    raise TypeError(f"DynamoDB stores no {type(value).__name__} (an empty set is refused too)")


def _wire_set(value: set[Any] | frozenset[Any]) -> dict[str, Any]:
    if all(isinstance(entry, str) for entry in value):
        return {"SS": list(value)}
    if all(isinstance(entry, int | Decimal) and not isinstance(entry, bool) for entry in value):
        return {"NS": [_number(entry) for entry in value]}
    if all(isinstance(entry, bytes | bytearray) for entry in value):
        return {"BS": [bytes(entry) for entry in value]}
    raise TypeError("a DynamoDB set holds strings, numbers or bytes, all of one kind")


def _number(value: int | Decimal) -> str:
    number = str(NUMBERS.create_decimal(value))
    if number in ("Infinity", "-Infinity", "NaN"):
        raise TypeError("DynamoDB stores no Infinity or NaN")
    return number


def _plain(value: Mapping[str, Any]) -> Any:  # noqa: PLR0911 - one branch per DynamoDB type
    """A wire-format value as Python: numbers as Decimal, sets as sets."""
    ((kind, content),) = value.items()
    if kind in ("S", "BOOL", "B"):
        return content
    if kind == "N":
        return NUMBERS.create_decimal(content)
    if kind == "NULL":
        return None
    if kind == "M":
        return {key: _plain(entry) for key, entry in content.items()}
    if kind == "L":
        return [_plain(entry) for entry in content]
    if kind in {"SS", "BS"}:
        return set(content)
    if kind == "NS":
        return {NUMBERS.create_decimal(entry) for entry in content}
    raise TypeError(f"unknown DynamoDB type {kind}")


def _storable(value: object) -> object:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, Mapping):
        return {key: _storable(entry) for key, entry in value.items() if entry is not None}
    if isinstance(value, list | tuple):
        return [_storable(entry) for entry in value]
    return value


@cache
def _fields(record_type: Hashable) -> dict[str, tuple[Convert, bool]]:
    """Each declared field's conversion and whether it may be None; built once per record type."""
    hints = get_type_hints(cast(type, record_type))
    return {name: (_converter(hint), _admits_none(hint)) for name, hint in hints.items()}


def _admits_none(hint: Any) -> bool:
    return hint is type(None) or (_is_union(hint) and type(None) in get_args(hint))


def _is_union(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType)


def _converter(hint: Any) -> Convert:  # noqa: PLR0911 - one branch per kind of declared type
    """From a wire value read as Python (Decimal for numbers) to the declared type."""
    if _is_union(hint):
        inner = [_converter(arg) for arg in get_args(hint) if arg is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"a record field's type is one type or None, not {hint}")
        return lambda value: None if value is None else inner[0](value)
    if is_typeddict(hint):
        return lambda value: _record(hint, value, {})
    origin = get_origin(hint)
    arguments = get_args(hint)
    if origin in (list, tuple, set, frozenset):
        element = _converter(arguments[0]) if arguments else _same
        collection = cast("Callable[[Any], Any]", origin)
        return lambda value: collection(element(entry) for entry in value)
    if origin is dict:
        entry_value = _converter(arguments[1]) if arguments else _same
        return lambda value: {key: entry_value(entry) for key, entry in value.items()}
    if hint is int:
        return int
    if hint is float:
        return float
    if hint is bytes:
        return bytes
    return _same


def _same(value: Any) -> Any:
    return value


def item_size(item: Mapping[str, Any]) -> int:
    """An item's size by DynamoDB's rules: attribute names plus values (UTF-8 strings, numbers about one byte
    per two digits plus one, 3 bytes per list or map plus one per element)."""
    return sum(len(name.encode()) + _value_size(value) for name, value in item.items())


def _value_size(value: Mapping[str, Any]) -> int:  # noqa: PLR0911 - one branch per attribute type
    (kind, content), *_ = value.items()
    if kind == "S":
        return len(content.encode())
    if kind == "N":
        return math.ceil(len(content.strip("-").replace(".", "")) / 2) + 1
    if kind == "B":
        return len(content)
    if kind in ("SS", "NS", "BS"):
        return sum(_value_size({kind[0]: entry}) for entry in content)
    if kind == "L":
        return 3 + sum(1 + _value_size(entry) for entry in content)
    if kind == "M":
        return 3 + sum(1 + len(key.encode()) + _value_size(entry) for key, entry in content.items())
    return 1


def read_units(size: int) -> float:
    """Eventually consistent: half a unit per 4 KB, rounded up per item (or per Query page, summed)."""
    return 0.5 * max(1, math.ceil(size / READ_UNIT_BYTES))


def write_units(size: int, *, transaction: bool = False) -> float:
    return (2 if transaction else 1) * max(1, math.ceil(size / WRITE_UNIT_BYTES))
