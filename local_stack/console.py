"""What `gather dev` prints while it runs: one line per GraphQL request, then the handler's own log lines.

Three modes: ``normal`` (every request, its log lines made readable, tracebacks of unexpected errors),
``quiet`` (only requests that failed unexpectedly, with their tracebacks) and ``json`` (one JSON object per
request or notice, for tools). Lambda-side failures (timeouts, crashes, oversized responses) count as
unexpected, as does any log line at ERROR.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, Literal

from mirror.event_source_mapping import StreamBatch
from mirror.lambda_runtime import Invocation, RuntimeNotice
from mirror.request_log import RequestRecord

Mode = Literal["normal", "quiet", "json"]

LAMBDA_FAILURE_PREFIXES = ("Runtime.", "Sandbox.", "Function.")
"""errorTypes the Lambda service (not the handler) reports: the code never got to answer."""
ROUTINE_KEYS = frozenset(
    {
        "level",
        "location",
        "message",
        "timestamp",
        "service",
        "cold_start",
        "function_name",
        "function_memory_size",
        "function_arn",
        "function_request_id",
        "correlation_id",
        "field",
        "caller",
        "xray_trace_id",
        "sampling_rate",
        "exception",
        "exception_name",
        "stack_trace",
    }
)
"""Keys every powertools line carries; the console shows the rest (what the handler chose to log)."""


def _records(logs: str) -> list[dict[str, Any]]:
    """The invocation's output, a record per line: powertools' JSON as it is, anything else as text."""
    records: list[dict[str, Any]] = []
    for line in logs.splitlines():
        try:
            parsed = json.loads(line)
        except ValueError:
            parsed = None
        records.append(parsed if isinstance(parsed, dict) else {"text": line})
    return records


def _unexpected(invocation: Invocation) -> bool:
    error_type = (invocation.error or {}).get("errorType", "")
    if error_type.startswith(LAMBDA_FAILURE_PREFIXES):
        return True
    return any(record.get("level") == "ERROR" for record in _records(invocation.logs))


def _indent(text: str, prefix: str = "      ") -> str:
    return "\n".join(prefix + line for line in text.rstrip("\n").splitlines())


def _metric_line(record: dict[str, Any]) -> str:
    parts = []
    for directive in record["_aws"].get("CloudWatchMetrics", []):
        for metric in directive.get("Metrics", []):
            values = record.get(metric["Name"])
            value = values[0] if isinstance(values, list) and len(values) == 1 else values
            parts.append(f"{metric['Name']} {value:g} {metric.get('Unit', '')}".rstrip())
    return "metric  " + ", ".join(parts)


def _log_line(record: dict[str, Any]) -> str:
    if "text" in record:
        return _indent(record["text"], "    ")
    if "_aws" in record:
        return "    " + _metric_line(record)
    extra = " ".join(f"{key}={value}" for key, value in record.items() if key not in ROUTINE_KEYS)
    line = f"    {record.get('level', 'INFO'):<7} {record.get('message', '')}"
    line += f"  {extra}" if extra else ""
    if record.get("exception"):
        line += "\n" + _indent(str(record["exception"]))
    return line


def _invocation_summary(invocation: Invocation) -> str:
    batch = f"[batch of {invocation.batch_size}]" if invocation.batch_size is not None else ""
    return f"{invocation.field}{batch} {invocation.duration_ms:.0f} ms"


def request_line(record: RequestRecord) -> str:
    name = record.operation_name or "(anonymous)"
    invocations = record.invocations
    parts = [
        time.strftime("%H:%M:%S"),
        f"{record.operation_type} {name}",
        f"{record.duration_ms:.0f} ms",
        f"{len(invocations)} Lambda invocation{'s' if len(invocations) != 1 else ''}"
        + (": " + ", ".join(_invocation_summary(i) for i in invocations) if invocations else ""),
    ]
    if record.error_types:
        parts.append("errors: " + ", ".join(dict.fromkeys(record.error_types)))
    return "  ".join(parts)


def invocation_lines(invocation: Invocation) -> list[str]:
    """The handler's log lines, readable (its unexpected errors log their traceback); then a Lambda-side failure."""
    lines = [_log_line(record) for record in _records(invocation.logs)]
    error = invocation.error
    if error and error["errorType"].startswith(LAMBDA_FAILURE_PREFIXES):
        lines.append(f"    {invocation.field}: {error['errorType']}: {error['errorMessage']}")
        if error.get("stackTrace"):
            lines.append(_indent("".join(error["stackTrace"])))
    return lines


def stream_batch_line(batch: StreamBatch) -> str:
    """``stream  shard …8f2c  3 records  41 ms  processed``, with retries and failures when there were any."""
    duration = batch.invocation.duration_ms if batch.invocation else 0.0
    parts = [
        time.strftime("%H:%M:%S"),
        "stream",
        f"shard …{batch.shard_id[-8:]}",
        f"{batch.size} record{'s' if batch.size != 1 else ''}",
        f"{duration:.0f} ms",
        batch.outcome,
    ]
    if batch.failed:
        parts.append(f"{batch.failed} to retry" if batch.outcome != "discarded" else f"{batch.failed} sent on")
    if batch.retries:
        parts.append(f"retry {batch.retries}")
    if batch.error_type:
        parts.append(f"errors: {batch.error_type}")
    return "  ".join(parts)


class Console:
    """Writes request records and runtime notices; safe to call from the server's loop and the Lambda threads."""

    def __init__(self, mode: Mode = "normal", write: Callable[[str], None] | None = None) -> None:
        self.mode = mode
        self._write = write or (lambda text: print(text, file=sys.stdout, flush=True))
        self._lock = threading.Lock()

    def _emit(self, text: str) -> None:
        with self._lock:
            self._write(text)

    def request(self, record: RequestRecord) -> None:
        if self.mode == "json":
            self._emit(json.dumps(_request_json(record)))
            return
        unexpected = [invocation for invocation in record.invocations if _unexpected(invocation)]
        if self.mode == "quiet" and not unexpected:
            return
        lines = [request_line(record)]
        for invocation in record.invocations if self.mode == "normal" else unexpected:
            lines.extend(invocation_lines(invocation))
        self._emit("\n".join(lines))

    def stream_batch(self, batch: StreamBatch) -> None:
        """A line per batch the stream consumer was invoked with, then its log lines (as for a request)."""
        if self.mode == "json":
            entry = asdict(batch)
            if batch.invocation is not None:
                entry["invocation"]["logs"] = _records(batch.invocation.logs)
            self._emit(json.dumps({"stream": entry}))
            return
        if self.mode == "quiet" and batch.outcome == "processed":
            return
        lines = [stream_batch_line(batch)]
        if batch.invocation is not None:
            lines.extend(invocation_lines(batch.invocation))
        self._emit("\n".join(lines))

    def stream_failure(self, document: dict[str, Any]) -> None:
        info = document["DDBStreamBatchInfo"]
        self.say(
            f"stream  shard …{info['shardId'][-8:]}  {info['batchSize']} record(s) from {info['startSequenceNumber']} "
            "sent to the on-failure destination (retries exhausted)"
        )

    def say(self, message: str) -> None:
        """A line of the stack's own (a reload, a refused schema); in JSON mode a notice."""
        if self.mode == "json":
            self._emit(json.dumps({"notice": "message", "message": message}))
        else:
            self._emit(f"{time.strftime('%H:%M:%S')}  {message}")

    def notice(self, notice: RuntimeNotice) -> None:
        if self.mode == "json":
            self._emit(json.dumps({"notice": notice.kind, "message": notice.message, "seconds": notice.seconds}))
            return
        line = f"{time.strftime('%H:%M:%S')}  {notice.message}"
        self._emit(line + ("\n" + _indent(notice.detail) if notice.detail else ""))


def _request_json(record: RequestRecord) -> dict[str, Any]:
    invocations = []
    for invocation in record.invocations:
        entry = asdict(invocation)
        entry["logs"] = _records(invocation.logs)
        invocations.append(entry)
    return {
        "requestId": record.request_id,
        "operationType": record.operation_type,
        "operationName": record.operation_name,
        "durationMs": round(record.duration_ms, 1),
        "errorTypes": record.error_types,
        "invocations": invocations,
    }
