"""Lambda's event source mapping for a DynamoDB stream, run on DynamoDB Local's own stream.

What Lambda's mapping does for the consumer on AWS, this does for it locally, in the local Lambda runtime
(``mirror.lambda_runtime``: the same execution environments, timeout and reload on save as the resolvers):

- it reads every shard of the table's stream (``DescribeStream``, ``GetShardIterator``, ``GetRecords``),
  a child shard only once its parent is read to the end, so the changes to one item arrive in order;
- each shard is one invocation at a time, of at most ``batch_size`` records, as ``{"Records": [...]}``
  shaped as Lambda shapes them;
- a reply with ``batchItemFailures`` moves the shard's checkpoint to the first failed record and retries
  from there; an invocation that fails (the function raised, timed out or died) retries the whole batch;
- with ``bisect_batch_on_function_error`` a failed batch is split in two halves, retried in order; halving
  does not count as a retry, as on AWS. After ``maximum_retry_attempts`` retries of a batch it goes to the
  on-failure destination (the same ``DDBStreamBatchInfo`` document Lambda sends to SQS) and the shard
  moves past it, so one poison record never blocks the records behind it;
- checkpoints survive restarts when a file is given, so a record is processed again only when its batch did
  not finish (at least once, as on AWS). A new mapping starts at ``TRIM_HORIZON``.

Each batch is reported once it is done (the console prints a line per batch).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from mirror.lambda_runtime import Invocation, LambdaError, LambdaRuntime
from resolvers.function_settings import StreamConsumerSettings

POLL_SECONDS = 0.1
"""How long a shard with nothing new waits before reading again (Lambda polls a shard four times a second)."""
DISCOVERY_SECONDS = 1.0
"""How often the stream's shards are listed again (shards close and split while the table lives)."""
RETRY_PAUSE_SECONDS = 1.0
"""After DynamoDB Local did not answer (a restart): read again from the checkpoint after this pause."""

STOP_GRACE_SECONDS = 5.0

Outcome = Literal["processed", "partial", "failed", "discarded"]


@dataclass(frozen=True)
class StreamBatch:
    """One invocation of the consumer with records of one shard, and what came of it."""

    shard_id: str
    size: int
    first_sequence: str
    last_sequence: str
    outcome: Outcome
    """processed: every record; partial: some reported failed; failed: the invocation failed;
    discarded: retries exhausted, sent to the on-failure destination."""
    failed: int
    """Records to be tried again (or, when discarded, sent on)."""
    retries: int
    """How many times this batch (or the batch it was split from) had failed before this invocation."""
    invocation: Invocation | None = None
    error_type: str | None = None


@dataclass
class _Shard:
    shard_id: str
    parent_id: str | None
    finished: bool = False
    task: asyncio.Task[None] | None = None


@dataclass
class _Checkpoints:
    path: Path | None
    stream_arn: str = ""
    positions: dict[str, str] = field(default_factory=dict)

    def load(self, stream_arn: str) -> None:
        self.stream_arn, self.positions = stream_arn, {}
        if self.path is not None and self.path.exists():
            saved = json.loads(self.path.read_text())
            if saved.get("streamArn") == stream_arn:
                self.positions = dict(saved.get("shards", {}))

    def advance(self, shard_id: str, sequence_number: str) -> None:
        self.positions[shard_id] = sequence_number
        if self.path is not None:
            document = {"streamArn": self.stream_arn, "shards": self.positions}
            self.path.write_text(json.dumps(document))


def _json_safe(value: Any) -> Any:
    """A record as Lambda's JSON carries it: numbers for times, base64 for binary attribute values."""
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | set | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    return value


def lambda_record(record: Mapping[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as the event source mapping hands it to the function."""
    return {**_json_safe(dict(record)), "eventSourceARN": stream_arn}


def _sequence(record: Mapping[str, Any]) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


class StreamEventSourceMapping:
    def __init__(
        self,
        dynamodb: Any,
        streams: Any,
        table_name: str,
        runtime: LambdaRuntime,
        settings: StreamConsumerSettings,
        *,
        on_batch: Callable[[StreamBatch], None] | None = None,
        on_failure: Callable[[dict[str, Any]], None] | None = None,
        checkpoint_file: Path | None = None,
    ) -> None:
        """``dynamodb`` and ``streams``: boto3 clients for the table and its stream (DynamoDB Local's)."""
        self.dynamodb = dynamodb
        self.streams = streams
        self.table_name = table_name
        self.runtime = runtime
        self.settings = settings
        self.on_batch = on_batch
        self.on_failure = on_failure
        self._checkpoints = _Checkpoints(checkpoint_file)
        self._shards: dict[str, _Shard] = {}
        self._stream_arn = ""
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=asyncio.run, args=(self._run(),), name="stream-mapping", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stops reading. A batch still in its invocation is left unfinished (not checkpointed, so it is read
        again on the next start), as when Lambda's mapping is disabled mid-batch."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=STOP_GRACE_SECONDS)
            self._thread = None

    async def _run(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(BotoCoreError, ClientError):  # DynamoDB Local restarting: found next round
                await asyncio.to_thread(self._discover)
            for shard in list(self._shards.values()):
                parent = self._shards.get(shard.parent_id or "")
                if shard.task is None and (parent is None or parent.finished):
                    shard.task = asyncio.create_task(self._read_shard(shard, self._stream_arn))
            await self._pause(DISCOVERY_SECONDS)
        for shard in self._shards.values():
            if shard.task is not None:
                shard.task.cancel()

    async def _pause(self, seconds: float) -> None:
        await asyncio.to_thread(self._stopping.wait, seconds)

    def _discover(self) -> None:
        """The table's current stream and its shards; a new stream (a table made again) starts from scratch."""
        stream_arn = self.dynamodb.describe_table(TableName=self.table_name)["Table"].get("LatestStreamArn", "")
        if stream_arn != self._stream_arn:
            for shard in self._shards.values():
                if shard.task is not None:
                    shard.task.cancel()
            self._shards, self._stream_arn = {}, stream_arn
            self._checkpoints.load(stream_arn)
        if not stream_arn:
            return
        arguments: dict[str, Any] = {"StreamArn": stream_arn}
        while True:
            description = self.streams.describe_stream(**arguments)["StreamDescription"]
            for shard in description.get("Shards", []):
                if shard["ShardId"] not in self._shards:
                    self._shards[shard["ShardId"]] = _Shard(shard["ShardId"], shard.get("ParentShardId"))
            last = description.get("LastEvaluatedShardId")
            if not last:
                return
            arguments["ExclusiveStartShardId"] = last

    def _iterator(self, shard_id: str, stream_arn: str) -> str:
        checkpoint = self._checkpoints.positions.get(shard_id)
        arguments: dict[str, Any] = {"StreamArn": stream_arn, "ShardId": shard_id}
        if checkpoint:
            arguments.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=checkpoint)
        else:
            arguments["ShardIteratorType"] = self.settings.starting_position
        return str(self.streams.get_shard_iterator(**arguments)["ShardIterator"])

    async def _read_shard(self, shard: _Shard, stream_arn: str) -> None:
        iterator: str | None = None
        while not self._stopping.is_set():
            try:
                if iterator is None:
                    iterator = await asyncio.to_thread(self._iterator, shard.shard_id, stream_arn)
                response = await asyncio.to_thread(
                    self.streams.get_records, ShardIterator=iterator, Limit=self.settings.batch_size
                )
            except (BotoCoreError, ClientError):
                iterator = None  # expired, or DynamoDB Local restarting: start again from the checkpoint
                await self._pause(RETRY_PAUSE_SECONDS)
                continue
            records = [lambda_record(record, stream_arn) for record in response.get("Records", [])]
            if records:
                await self._deliver(shard.shard_id, records)
            iterator = response.get("NextShardIterator")
            if iterator is None:
                shard.finished = True  # closed and read to the end: its children may start
                return
            if not records:
                await self._pause(POLL_SECONDS)

    async def _deliver(self, shard_id: str, records: list[dict[str, Any]]) -> None:
        """Invokes the function until every record is processed or sent to the on-failure destination."""
        pending: list[tuple[list[dict[str, Any]], int]] = [(records, 0)]
        while pending:
            batch, retries = pending.pop(0)
            invocation: list[Invocation] = []
            error_type: str | None = None
            try:
                reply = await self.runtime.invoke({"Records": batch}, invocation.append)
                failed_at = _first_failure(reply, batch)
            except LambdaError as error:
                failed_at, error_type = 0, error.error_type
            if self._stopping.is_set():
                return
            done = batch if failed_at is None else batch[:failed_at]
            if done:
                self._checkpoints.advance(shard_id, _sequence(done[-1]))
            remaining = [] if failed_at is None else batch[failed_at:]
            outcome: Outcome = "processed" if not remaining else "failed" if error_type else "partial"
            if remaining and retries >= self.settings.maximum_retry_attempts:
                outcome = "discarded"
                self._send_to_failure_destination(shard_id, remaining, retries + 1, invocation)
                self._checkpoints.advance(shard_id, _sequence(remaining[-1]))
            elif remaining and self.settings.bisect_batch_on_function_error and len(remaining) > 1:
                half = len(remaining) // 2
                pending[:0] = [(remaining[:half], retries), (remaining[half:], retries)]
            elif remaining:
                pending.insert(0, (remaining, retries + 1))
            self._report(
                StreamBatch(
                    shard_id,
                    len(batch),
                    _sequence(batch[0]),
                    _sequence(batch[-1]),
                    outcome,
                    len(remaining),
                    retries,
                    invocation[0] if invocation else None,
                    error_type,
                )
            )

    def _report(self, batch: StreamBatch) -> None:
        if self.on_batch is not None:
            self.on_batch(batch)

    def _send_to_failure_destination(
        self, shard_id: str, records: list[dict[str, Any]], invocations: int, invocation: list[Invocation]
    ) -> None:
        """The document Lambda sends an on-failure destination for a stream batch it gives up on."""
        if self.on_failure is None:
            return
        arrivals = [record["dynamodb"].get("ApproximateCreationDateTime", time.time()) for record in records]
        function = self.runtime.function.name
        self.on_failure(
            {
                "requestContext": {
                    "requestId": invocation[0].request_id if invocation else str(uuid.uuid4()),
                    "functionArn": f"arn:aws:lambda:local:000000000000:function:{function}",
                    "condition": "RetryAttemptsExhausted",
                    "approximateInvokeCount": invocations,
                },
                "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
                "version": "1.0",
                "timestamp": datetime.now(UTC).isoformat(),
                "DDBStreamBatchInfo": {
                    "shardId": shard_id,
                    "startSequenceNumber": _sequence(records[0]),
                    "endSequenceNumber": _sequence(records[-1]),
                    "approximateArrivalOfFirstRecord": datetime.fromtimestamp(arrivals[0], UTC).isoformat(),
                    "approximateArrivalOfLastRecord": datetime.fromtimestamp(arrivals[-1], UTC).isoformat(),
                    "batchSize": len(records),
                    "streamArn": self._stream_arn,
                },
            }
        )


def _first_failure(reply: Any, batch: list[dict[str, Any]]) -> int | None:
    """Where to retry from, as Lambda reads ``batchItemFailures``: None (all processed) for a reply without
    failures, else the earliest failed record; an identifier that names no record of the batch fails it all."""
    if not isinstance(reply, dict) or not reply.get("batchItemFailures"):
        return None
    positions = {_sequence(record): index for index, record in enumerate(batch)}
    failed = [item.get("itemIdentifier") if isinstance(item, dict) else None for item in reply["batchItemFailures"]]
    if any(identifier not in positions for identifier in failed):
        return 0
    return min(positions[str(identifier)] for identifier in failed)
