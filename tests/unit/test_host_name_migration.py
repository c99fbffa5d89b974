"""local_stack/host_name_migration.py on moto: an event stored before events carried their host's name gets it,
and its place under the host in GSI2, so listings read no profile for it and a later rename reaches it."""

from __future__ import annotations

import pytest

from local_stack.host_name_migration import main, name_event_hosts
from resolvers.identity import Caller
from resolvers.logic import users
from resolvers.records import UserRecord
from resolvers.store import GatherStore
from resolvers.store.core import key_item
from resolvers.table_definition import HOSTED_PARTITION_KEY, HOSTED_SORT_KEY, event_key, user_key
from tests.unit.conftest import ADA_USER, event_record


def _stored_before_host_names(store: GatherStore, event_id: str, host: UserRecord = ADA_USER) -> None:
    """The layout of an event stored before events carried their host's name: no name, not in GSI2."""
    store.events.create(event_record(event_id, hostId=host["id"]), host)
    store.client.update_item(
        TableName=store.table_name,
        Key=key_item(event_key(event_id)),
        UpdateExpression="REMOVE #name, #hosted, #hostedSort",
        ExpressionAttributeNames={"#name": "hostName", "#hosted": HOSTED_PARTITION_KEY, "#hostedSort": HOSTED_SORT_KEY},
    )


def _host_name(store: GatherStore, event_id: str) -> str | None:
    (event,) = store.events.get_many([event_id])
    return event["hostName"]


def test_events_without_their_hosts_name_are_named_once_and_renamed_after(store: GatherStore) -> None:
    _stored_before_host_names(store, "old")
    _stored_before_host_names(store, "orphan", UserRecord(id="gone", displayName="Gone"))
    store.client.delete_item(TableName=store.table_name, Key=key_item(user_key("gone")))
    store.events.create(event_record("new"), ADA_USER)
    store.users.put(UserRecord(id="ada", displayName="Countess"))
    assert _host_name(store, "old") is None

    assert name_event_hosts(store.client, store.table_name) == 1, "a host with no profile is left to Event.host"
    assert name_event_hosts(store.client, store.table_name) == 0, "nothing left to name"
    assert _host_name(store, "old") == "Countess"
    listed, _ = store.events.list_upcoming("2030-01-01", "2030-01-01", 10, None)
    assert {event["id"]: event["hostName"] for event in listed}["old"] == "Countess"

    users.set_display_name(store, Caller("ada", "Ada"), "Lovelace")
    store.host_names.step("ada")  # what the consumer does on the profile's MODIFY
    assert _host_name(store, "old") == "Lovelace", "GSI2 lists it under its host now"


def test_the_migration_runs_against_a_named_table_with_the_environments_credentials(
    store: GatherStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stored_before_host_names(store, "old")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setattr("sys.argv", ["host_name_migration", store.table_name])
    main()
    assert "Named the host on 1 events" in capsys.readouterr().out
    assert _host_name(store, "old") == "Ada"
