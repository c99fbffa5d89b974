"""An invocation's payload: how Lambda writes it, how large it is, and how large an answer may grow."""

from __future__ import annotations

import json
from typing import Final

PAYLOAD_LIMIT_BYTES: Final = 1024 * 1024
"""The most one invocation's answer carries (issue 21's target, well inside Lambda's 6 MB for a synchronous
call): a batch of Event.comments pages is cut to it."""


def lambda_json(value: object) -> str:
    """JSON as Lambda's Python runtime writes an invocation's payload: non-ASCII characters as themselves,
    not escaped (awslambdaric's marshaller, ``ensure_ascii=False`` on Python 3.12 and later), so a payload's
    size in UTF-8 bytes is what Lambda counts against its limits."""
    return json.dumps(value, ensure_ascii=False)


def payload_size(value: object) -> int:
    """Bytes ``value`` takes in an invocation's payload."""
    return len(lambda_json(value).encode())
