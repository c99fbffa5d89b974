"""Host names: each event carries its host's display name (``hostName``), rewritten when the host chooses another.

The stream consumer sees a profile's name change (its MODIFY) and rewrites ``hostName`` on the events the user
hosts, found in GSI2 under their ``HOST#`` partition (keys only, and no Scan however large the table), a page per
step. While more remain, the marker (``host_names_key``) is rewritten: its stream record carries the rename on to
the next page, as a deleted event's clean-up is carried (resolvers/store/cleanup.py).

The name written is the profile's as each step reads it, and a step writes its page again until the profile still
holds the name it wrote. A step that read a name before a newer rename and wrote it after that rename's own steps
finds the newer name when it checks, and writes that: the last rename wins however the steps interleave. An event
created during a rename is written with the name the profile holds as it commits (``EventStore.create``), and its
INSERT is checked against the profile (``check_event``), for an index that did not list it yet when the rename's
steps read it. Every step writes what differs and nothing else, so a step that runs twice does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass

from botocore.exceptions import ClientError

from resolvers.errors import Busy
from resolvers.store.core import (
    CONDITION_FAILED,
    ITEM_EXISTS,
    KEY_NAMES,
    MAX_ATTEMPTS,
    Table,
    key_item,
    read_string,
    string,
)
from resolvers.table_definition import (
    EVENT_SORT_KEY,
    HOSTED_INDEX,
    HOSTED_PARTITION_KEY,
    HOSTED_SORT_KEY,
    PARTITION_KEY,
    SORT_KEY,
    event_key,
    event_partition_key,
    host_names_key,
    hosted_partition_key,
    hosted_sort_key,
    user_key,
)

HOST_NAME_PAGE = 100
"""Events renamed per step: one UpdateItem each, a second or two at most."""


@dataclass(frozen=True)
class HostNameStep:
    user_id: str
    renamed: int
    """Events given the host's current name by this step."""
    done: bool
    """Every event the user hosts has been given it (the marker is gone)."""


class HostNameStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def step(self, user_id: str, after: str | None = None) -> HostNameStep:
        """Gives the next page of the user's hosted events (those after event ``after``) the name their profile
        holds; marks the user for the next step while more remain."""
        position = None if after is None else _hosted_position(user_id, after)
        items, more = self.table.query_page(
            position,
            IndexName=HOSTED_INDEX,
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": HOSTED_PARTITION_KEY},
            ExpressionAttributeValues={":pk": string(hosted_partition_key(user_id))},
            Limit=HOST_NAME_PAGE,
        )
        prefix = event_partition_key("")
        renamed = self._name(user_id, [read_string(item, PARTITION_KEY).removeprefix(prefix) for item in items])
        if more is None:
            self.table.batch_delete([host_names_key(user_id)])
            return HostNameStep(user_id, renamed, done=True)
        last = more[PARTITION_KEY].removeprefix(prefix)
        marker = {**key_item(host_names_key(user_id)), "userId": string(user_id), "after": string(last)}
        self.table.client.put_item(TableName=self.table.name, Item=marker)
        return HostNameStep(user_id, renamed, done=False)

    def check_event(self, event_id: str, host_id: str, carried: str) -> HostNameStep | None:
        """A new event's name against its host's profile: None if it carries the name the profile holds, else the
        step that gave it that name."""
        if self._profile_name(host_id) == carried:
            return None
        return HostNameStep(host_id, self._name(host_id, [event_id]), done=True)

    def _name(self, user_id: str, event_ids: list[str]) -> int:
        """Writes the profile's name on these events until the profile still holds it once they carry it."""
        renamed = 0
        for _ in range(MAX_ATTEMPTS):
            name = self._profile_name(user_id)
            if name is None:
                return renamed
            renamed += sum(self._rename(event_id, name) for event_id in event_ids)
            if self._profile_name(user_id) == name:
                return renamed
        raise Busy(f"{user_id} keeps changing their name")

    def _profile_name(self, user_id: str) -> str | None:
        profile = self.table.get(user_key(user_id), consistent=True)
        return None if profile is None else read_string(profile, "displayName")

    def _rename(self, event_id: str, name: str) -> bool:
        """Whether the event took the name (an event deleted meanwhile, or carrying it already, is left alone)."""
        try:
            self.table.client.update_item(
                TableName=self.table.name,
                Key=key_item(event_key(event_id)),
                UpdateExpression="SET #name = :name",
                ConditionExpression=f"{ITEM_EXISTS} AND (attribute_not_exists(#name) OR #name <> :name)",
                ExpressionAttributeNames={**KEY_NAMES, "#name": "hostName"},
                ExpressionAttributeValues={":name": string(name)},
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != f"{CONDITION_FAILED}Exception":
                raise
            return False
        return True


def _hosted_position(user_id: str, event_id: str) -> dict[str, str]:
    """Where a GSI2 page of the user's hosted events ended, rebuilt from its last event: the index's keys and the
    item's own."""
    return {
        HOSTED_PARTITION_KEY: hosted_partition_key(user_id),
        HOSTED_SORT_KEY: hosted_sort_key(event_id),
        PARTITION_KEY: event_partition_key(event_id),
        SORT_KEY: EVENT_SORT_KEY,
    }
