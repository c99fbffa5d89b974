"""local_stack/item_migration.py on moto: an event stored with its counts on the event item gets its counts item."""

from __future__ import annotations

import pytest

from local_stack.item_migration import main, split_event_counts
from resolvers.errors import EventFull
from resolvers.records import UserRecord
from resolvers.store import GatherStore
from resolvers.store.core import key_item
from resolvers.table_definition import event_counts_key, event_key
from tests.unit.conftest import ADA_USER, event_record

LATER = "2030-05-02T12:00:00.000Z"
BOB = UserRecord(id="bob", displayName="Bob")


def _stored_before_the_split(store: GatherStore, event_id: str, **counters: int) -> None:
    """The layout of an event stored before its counts had an item: they are on the event item."""
    store.events.create(event_record(event_id), ADA_USER)
    store.client.delete_item(TableName=store.table_name, Key=key_item(event_counts_key(event_id)))
    sets = ", ".join(f"#{name} = :{name}" for name in counters)
    store.client.update_item(
        TableName=store.table_name,
        Key=key_item(event_key(event_id)),
        UpdateExpression=f"SET {sets}",
        ExpressionAttributeNames={f"#{name}": name for name in counters},
        ExpressionAttributeValues={f":{name}": {"N": str(value)} for name, value in counters.items()},
    )


def test_counts_stored_on_the_event_item_move_to_their_own_item_once(store: GatherStore) -> None:
    _stored_before_the_split(store, "old", attendeeCount=2, waitlistCount=1, waitlistTicket=7)
    _stored_before_the_split(store, "older", attendeeCount=1)  # stored before waitlists: no waitlist counters
    store.events.create(event_record("new"), ADA_USER)

    assert split_event_counts(store.client, store.table_name) == 2
    assert split_event_counts(store.client, store.table_name) == 0, "nothing left to move"

    for event_id in ("old", "older"):
        item = store.table.get(event_key(event_id), consistent=True)
        assert item is not None
        assert {"attendeeCount", "waitlistCount", "waitlistTicket"}.isdisjoint(item)
    counts = store.table.get(event_counts_key("old"), consistent=True)
    assert counts is not None
    assert (counts["attendeeCount"], counts["waitlistCount"], counts["waitlistTicket"]) == (
        {"N": "2"},
        {"N": "1"},
        {"N": "7"},
    )
    assert counts["capacity"] == {"N": "2"}
    assert counts["startsAt"] == {"S": event_record()["startsAt"]}
    old = store.events.get("old", consistent=True)
    assert old is not None
    assert (old["attendeeCount"], old["waitlistCount"]) == (2, 1)
    older = store.events.get("older", consistent=True)
    assert older is not None
    assert (older["attendeeCount"], older["waitlistCount"]) == (1, 0)
    store.seats.add_attendee("older", BOB, LATER)  # the seats' conditions read the moved item
    with pytest.raises(EventFull):
        store.seats.add_attendee("older", UserRecord(id="cy", displayName="Cy"), LATER)


def test_the_migration_runs_against_a_named_table_with_the_environments_credentials(
    store: GatherStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stored_before_the_split(store, "old", attendeeCount=1)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setattr("sys.argv", ["item_migration", store.table_name])
    main()
    assert "Moved the counts of 1 events" in capsys.readouterr().out
    old = store.events.get("old", consistent=True)
    assert old is not None
    assert old["attendeeCount"] == 1


def test_counts_changed_after_they_were_read_stay_until_the_next_run(store: GatherStore) -> None:
    """The older code may still take a seat while the migration runs: its count is never lost."""
    _stored_before_the_split(store, "old", attendeeCount=1)
    changed: list[bool] = []

    def older_code_takes_a_seat(**_: object) -> None:
        if not changed:
            changed.append(True)
            store.client.update_item(
                TableName=store.table_name,
                Key=key_item(event_key("old")),
                UpdateExpression="SET attendeeCount = attendeeCount + :one",
                ExpressionAttributeValues={":one": {"N": "1"}},
            )

    store.client.meta.events.register("before-call.dynamodb.TransactWriteItems", older_code_takes_a_seat)
    assert split_event_counts(store.client, store.table_name) == 0
    store.client.meta.events.unregister("before-call.dynamodb.TransactWriteItems", older_code_takes_a_seat)
    assert store.table.get(event_counts_key("old"), consistent=True) is None, "nothing half moved"
    assert split_event_counts(store.client, store.table_name) == 1
    old = store.events.get("old", consistent=True)
    assert old is not None
    assert old["attendeeCount"] == 2
