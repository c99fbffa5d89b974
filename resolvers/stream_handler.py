"""The Lambda entry point the table's stream invokes (Lambda's event source mapping on AWS, ``gather dev``'s
own locally) with batches of DynamoDB stream records.

powertools' batch processing runs each record on its own and reports the ones that failed
(``batchItemFailures``): the mapping retries from the first of them, so the records before it are not
repeated, and a record that keeps failing ends at the mapping's on-failure destination instead of blocking
its shard. The work itself is in ``resolvers.logic.stream_changes``; the events it changed are published to the
API's subscribers (``resolvers.publish``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from resolvers.dependencies import now, store
from resolvers.logic.stream_changes import ChangeKind, ItemChange, changed_events, follow
from resolvers.logic.waitlist import Promotion
from resolvers.observability import count_unexpected_error, logger
from resolvers.publish import publish_event_changed
from resolvers.store.host_names import HostNameStep
from resolvers.store.seats import SeatMoveStep

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def item_change(record: DynamoDBRecord) -> ItemChange:
    stream = record.dynamodb
    if stream is None or record.event_name is None:
        raise ValueError(f"Record {record.event_id} carries no change")
    return ItemChange(
        kind=cast("ChangeKind", record.event_name.name),
        keys=stream.keys or {},
        old=stream.old_image or {},
        new=stream.new_image or {},
    )


def record_handler(record: DynamoDBRecord) -> None:
    try:
        step = follow(store(), item_change(record), now())
        # Published after the work, and again if the record is retried: a page may hear twice, never not at all.
        for event_id in changed_events(step):
            publish_event_changed(event_id)
    except Exception:
        logger.exception("Record failed", extra={"sequenceNumber": record.dynamodb and record.dynamodb.sequence_number})
        count_unexpected_error()
        raise
    if isinstance(step, Promotion):
        promoted = [{"userId": place["userId"], "ticket": place["ticket"]} for place in step.promoted]
        logger.info("Promoted", extra={"eventId": step.event_id, "promoted": promoted, "done": step.done})
    elif isinstance(step, SeatMoveStep):
        logger.info("Seats moved", extra={"eventId": step.event_id, "moved": step.moved, "done": step.done})
    elif isinstance(step, HostNameStep):
        logger.info("Host renamed", extra={"userId": step.user_id, "renamed": step.renamed, "done": step.done})
    elif step is not None:
        logger.info("Cleaned up", extra={"eventId": step.event_id, "deleted": step.deleted, "done": step.done})


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )
