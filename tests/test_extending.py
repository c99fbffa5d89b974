"""docs/extending.md, done on a scratch copy: each common change made as the guide says, followed through, and
the files it took counted from the copy's own diff.

The repository's tracked files go into a fresh git repository; each change is made there in turn (the edits the
guide shows), counted, formatted as an editor would on save, and committed, so each is counted from its own diff.
Then, on the copy: ruff over the touched files; `make typecheck-spa` (the SPA against the copy's schema and
config.json); in Python processes whose imports come from the copy, the copy's handler over moto follows every
change through the API, config.json and the field check; the copy's own tests that hold every part to a change
run and must pass (each field through the handler, every field accounted for, schema parity, the SPA's documents
and permissions against the copy's, the new store on moto, keys spelled once); and the copy's constructs
synthesize the table and the API for the CDK template. Last, the copy's own `gather dev` serves the copy's SPA to the
session's Chromium, which follows the new field through the form, the event page and a live update.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
from playwright.async_api import Browser, expect

from mirror.app import PROJECT_ROOT
from tests.browser.conftest import origin_of, watch
from tests.browser.helpers import DESKTOP, Account, PageProblems, Visitor
from tests.conftest import RunningStack
from tests.integration.dev_process import READY, DevProcess, sign_in

LEFT_OUT = ("docs/screenshots/",)
"""Tracked files the scenarios neither change nor read."""

FIELD_FILES_TARGET = 7
FIELD_FILES_TODAY = 7
"""At the target: the field's errorType (InvalidTags) follows from its input (resolvers/errors.py)."""
QUERY_FILES_TARGET = 9
ITEM_TYPE_FILES_TODAY = 11
"""No target: schema, key, record, store and its wiring, logic, router and its wiring, and three tests."""
RULE_FILES_TODAY = 5
"""No target: the rule's row, its check in the logic, the caller passed to it, and the tests that say who is refused."""


@dataclass(frozen=True)
class Edit:
    path: str
    anchor: str
    """Text the file holds once; the edit goes right after it (``before``: right before it, ``replace``: instead of
    it). An empty anchor on a file that does not exist yet creates it with ``text``."""
    text: str
    before: bool = False
    replace: bool = False


class Scratch:
    def __init__(self, root: Path) -> None:
        self.root = root

    def apply(self, edits: list[Edit]) -> None:
        for edit in edits:
            path = self.root / edit.path
            if not edit.anchor:
                assert not path.exists(), f"{edit.path} exists already: update the guide"
                path.write_text(edit.text, encoding="utf-8")
                continue
            source = path.read_text(encoding="utf-8")
            assert source.count(edit.anchor) == 1, f"{edit.path} no longer holds {edit.anchor!r} once: update the guide"
            new = edit.text if edit.replace else edit.text + edit.anchor if edit.before else edit.anchor + edit.text
            path.write_text(source.replace(edit.anchor, new, 1), encoding="utf-8")

    def changed_files(self) -> list[str]:
        status = self._git("status", "--porcelain", "--untracked-files=all")
        return sorted(line[3:] for line in status.splitlines() if line.strip())

    def python(self, script: str) -> str:
        """Runs ``script`` with the copy's packages first on the path; its stdout."""
        return self._run([sys.executable, "-c", textwrap.dedent(script)])

    def pytest(self, *paths: str) -> None:
        """The copy's own tests, in the copy: every one of them must pass."""
        self._run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *paths])

    def format(self, paths: list[str]) -> None:
        self._run([sys.executable, "-m", "ruff", "format", "-q", *paths])

    def lint(self, paths: list[str]) -> None:
        """What `make lint` asks of the files the changes touched."""
        self._run([sys.executable, "-m", "ruff", "check", *paths])
        self._run([sys.executable, "-m", "ruff", "format", "--check", *paths])

    def typecheck_spa(self) -> None:
        """`make typecheck-spa` on the copy: the SPA against the copy's schema and config.json."""
        (self.root / "node_modules").symlink_to(PROJECT_ROOT / "node_modules")
        self._run([str(self.root / "spa_types" / "typecheck")], PYTHON=sys.executable)

    def commit(self, message: str) -> None:
        self._git("add", "-A")
        self._git("-c", "user.name=scratch", "-c", "user.email=scratch@example.org", "commit", "-qm", message)

    def _git(self, *arguments: str) -> str:
        return self._run(["git", *arguments])

    def _run(self, command: list[str], **variables: str) -> str:
        environment = {**os.environ, "PYTHONPATH": str(self.root), "PYTHONDONTWRITEBYTECODE": "1", **variables}
        done = subprocess.run(
            command, cwd=self.root, env=environment, capture_output=True, text=True, timeout=600, check=False
        )
        assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
        return done.stdout + done.stderr


def scratch_copy(root: Path) -> Scratch:
    """The repository's tracked files in a fresh git repository at ``root``, committed."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in listed:
        if name and not name.startswith(LEFT_OUT) and (PROJECT_ROOT / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_ROOT / name, root / name)
    copy = Scratch(root)
    copy._git("init", "-q")
    copy.commit("before")
    return copy


# A stored, editable field on Event: tags, a short list of words.
TAGS = [
    Edit(
        "schema.graphql",
        "  capacity: Int!\n  attendeeCount: Int!\n",
        '  """Up to 10 short words."""\n  tags: [String!]\n',
    ),
    Edit("schema.graphql", "  timeZone: String\n  capacity: Int!\n", "  tags: [String!]\n"),
    Edit("schema.graphql", "  timeZone: String\n  capacity: Int\n", "  tags: [String!]\n"),
    Edit("resolvers/records.py", "    capacity: int\n    attendeeCount: int\n", "    tags: list[str] | None\n"),
    Edit("resolvers/inputs.py", "    capacity: int | None\n", "    tags: list[str] | None\n"),
    Edit(
        "resolvers/logic/events.py",
        '        changes["capacity"] = validation.capacity(fields["capacity"])\n',
        '    if "tags" in fields:\n        changes["tags"] = validation.tags(fields["tags"])\n',
    ),
    Edit(
        "resolvers/logic/validation.py",
        "PAGE_MAX = 100\n",
        "TAG_MAX = 30\nTAGS_MAX = 10\n\n\n"
        "def tags(value: list[str] | None) -> list[str] | None:\n"
        '    """Each tag trimmed and short, at most TAGS_MAX; null or none removes them."""\n'
        "    if not value:\n        return None\n"
        "    if len(value) > TAGS_MAX:\n"
        '        raise FIELD_ERRORS["tags"](f"tags must be at most {TAGS_MAX}, not {len(value)}")\n'
        '    return [required_text("tags", tag, TAG_MAX) for tag in value]\n',
    ),
    Edit("tests/unit/test_handler_fields.py", '    "capacity": 5,\n', '    "tags": ["tea", "talks"],\n'),
    Edit("tests/unit/test_handler_fields.py", '    "capacity": 0,\n', '    "tags": [" "],\n'),
    Edit("single_page_app/operations.js", "...Summary description", " tags"),
    Edit(
        "single_page_app/operations.js",
        "  id title description venue startsAt endsAt timeZone capacity attendeeCount version\n",
        "  tags\n",
    ),
]

# A query with its own index: upcoming events at one venue. The index reads what every event item holds already
# (its venue, and the start-time sort key of the upcoming index), so the store writes nothing new.
BY_VENUE = [
    Edit(
        "schema.graphql",
        "  myRsvps(limit: Int, nextToken: String): EventConnection! @aws_cognito_user_pools\n",
        '  """Upcoming events at one venue, in startsAt order."""\n'
        "  listEventsByVenue(venue: String!, limit: Int, nextToken: String): EventConnection!\n"
        "    @aws_api_key\n    @aws_cognito_user_pools\n",
    ),
    Edit(
        "resolvers/table_definition.py",
        'UPCOMING_SORT_KEY = "GSI1SK"\n',
        'VENUE_INDEX = "ByVenue"\nVENUE_PARTITION_KEY = "venue"\n',
    ),
    Edit(
        "resolvers/table_definition.py",
        "GlobalIndex(UPCOMING_INDEX, UPCOMING_PARTITION_KEY, UPCOMING_SORT_KEY, LISTING_PROJECTION),",
        " GlobalIndex(VENUE_INDEX, VENUE_PARTITION_KEY, UPCOMING_SORT_KEY),",
    ),
    Edit(
        "resolvers/store/events.py",
        "    def list_upcoming(\n",
        "    def list_at_venue(\n"
        "        self, venue: str, after: str, limit: int, position: Position | None\n"
        "    ) -> tuple[list[EventRecord], Position | None]:\n"
        "        items, position = self.table.query_page(\n"
        "            position,\n"
        "            IndexName=VENUE_INDEX,\n"
        "            Limit=limit,\n"
        '            KeyConditionExpression="#pk = :venue AND #sk >= :after",\n'
        '            ExpressionAttributeNames={"#pk": VENUE_PARTITION_KEY, "#sk": UPCOMING_SORT_KEY},\n'
        '            ExpressionAttributeValues={":venue": string(venue), ":after": string(after)},\n'
        "        )\n"
        "        return self._with_hosts(items, details=False), position\n\n",
        before=True,
    ),
    Edit("resolvers/store/events.py", "    UPCOMING_SORT_KEY,\n", "    VENUE_INDEX,\n    VENUE_PARTITION_KEY,\n"),
    Edit(
        "resolvers/logic/events.py",
        "def create_event(",
        "def list_at_venue(\n"
        "    store: GatherStore, venue: str, limit: int | None, next_token: str | None, *, now: datetime,"
        " secret: bytes\n"
        ") -> EventPage:\n"
        '    scope = f"listEventsByVenue:{venue}"  # a token pages only the list it came from\n'
        "    position = decode_token(scope, next_token, secret)\n"
        "    after = validation.to_aws_datetime(now)\n"
        "    events, last = store.events.list_at_venue(venue, after, validation.page_size(limit), position)\n"
        "    return EventPage(items=list(events), nextToken=encode_token(scope, last, secret))\n\n\n",
        before=True,
    ),
    Edit(
        "resolvers/routers/events.py",
        '@router.resolver(type_name="Mutation", field_name="createEvent")\n',
        '@router.resolver(type_name="Query", field_name="listEventsByVenue")\n'
        "def list_events_by_venue(venue: str, limit: int | None = None, nextToken: str | None = None) -> EventPage:"
        "  # noqa: N803\n"
        "    secret = settings.token_secret()\n"
        "    return events.list_at_venue(store(), venue, limit, nextToken, now=now(), secret=secret)\n\n\n",
        before=True,
    ),
    Edit(
        "tests/integration/test_authorization.py",
        "MATRIX: dict[str, dict[str, str]] = {\n",
        '    "listEventsByVenue": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": ALLOW},\n',
    ),
    Edit(
        "tests/integration/test_authorization.py",
        "OPERATIONS: dict[str, Operation] = {\n",
        '    "listEventsByVenue": lambda ids: (\'{ listEventsByVenue(venue: "Hall") { items { id } } }\', {}),\n',
    ),
    Edit(
        "tests/unit/test_handler_fields.py",
        "def test_the_callers_own_profile(",
        "def test_events_at_one_venue(lambda_api: InProcessLambda) -> None:\n"
        "    event = _create(lambda_api)\n"
        '    at_hall = lambda_api.call("Query", "listEventsByVenue", {"venue": "Hall"})["items"]\n'
        '    assert [(e["id"], e["title"]) for e in at_hall] == [(event["id"], event["title"])]\n'
        '    assert lambda_api.call("Query", "listEventsByVenue", {"venue": "Garden"})["items"] == []\n\n\n',
        before=True,
    ),
    Edit(
        "single_page_app/operations.js",
        "const GET_EVENT = ",
        "const LIST_EVENTS_BY_VENUE = /* GraphQL */ `query ListEventsByVenue($venue: String!, $limit: Int) {\n"
        "  listEventsByVenue(venue: $venue, limit: $limit) { items { ...Summary } nextToken }\n}`;\n",
        before=True,
    ),
    Edit(
        "single_page_app/operations.js",
        "    /** @param {string | null} nextToken @param {RequestOptions} [options] */\n    listEvents:",
        "    /** @param {string} venue @param {RequestOptions} [options] */\n"
        "    listEventsByVenue: (venue, options) =>\n"
        "      send(LIST_EVENTS_BY_VENUE, { venue, limit: EVENTS_PAGE }, options)\n"
        "        .then((data) => data.listEventsByVenue),\n",
        before=True,
    ),
]

# A new item type: notes on an event, in the event's partition (so the clean-up of a deleted event removes them),
# added by a signed-in user and read by id.
NOTES = [
    Edit(
        "schema.graphql",
        "type EventConnection ",
        '"""A short note on an event."""\n'
        "type Note @aws_api_key @aws_cognito_user_pools {\n"
        "  id: ID!\n  eventId: ID!\n  content: String!\n  createdAt: AWSDateTime!\n}\n\n",
        before=True,
    ),
    Edit(
        "schema.graphql",
        "  me: User! @aws_cognito_user_pools\n",
        "  note(eventId: ID!, id: ID!): Note @aws_api_key @aws_cognito_user_pools\n",
    ),
    Edit(
        "schema.graphql",
        "  setDisplayName(displayName: String!): User!\n",
        "  addNote(eventId: ID!, content: String!): Note!\n",
    ),
    Edit(
        "resolvers/table_definition.py",
        "def user_partition_key(",
        "def note_key(event_id: str, note_id: str) -> ItemKey:\n"
        '    """A note beside its event: the clean-up of a deleted event removes it with the rest."""\n'
        '    return ItemKey(event_partition_key(event_id), f"NOTE#{note_id}")\n\n\n',
        before=True,
    ),
    Edit(
        "resolvers/records.py",
        "class CommentResult(TypedDict):",
        "class NoteRecord(TypedDict):\n    id: str\n    eventId: str\n    content: str\n    createdAt: str\n\n\n",
        before=True,
    ),
    Edit(
        "resolvers/store/notes.py",
        "",
        '"""Notes on an event, each an item of the event\'s partition."""\n\n'
        "from __future__ import annotations\n\n"
        "from resolvers.records import NoteRecord\n"
        "from resolvers.store.attributes import item_of, record_of\n"
        "from resolvers.store.core import Table, key_item\n"
        "from resolvers.table_definition import note_key\n\n\n"
        "class NoteStore:\n"
        "    def __init__(self, table: Table) -> None:\n"
        "        self.table = table\n\n"
        "    def put(self, note: NoteRecord) -> None:\n"
        '        item = {**key_item(note_key(note["eventId"], note["id"])), **item_of(note)}\n'
        "        self.table.client.put_item(TableName=self.table.name, Item=item)\n\n"
        "    def get(self, event_id: str, note_id: str) -> NoteRecord | None:\n"
        "        item = self.table.get(note_key(event_id, note_id))\n"
        "        return None if item is None else record_of(NoteRecord, item)\n",
    ),
    Edit(
        "resolvers/store/__init__.py",
        "from resolvers.store.host_names import HostNameStore\n",
        "from resolvers.store.notes import NoteStore\n",
    ),
    Edit(
        "resolvers/store/__init__.py",
        "        self.comments = CommentStore(self.table, self.users)\n",
        "        self.notes = NoteStore(self.table)\n",
    ),
    Edit(
        "resolvers/logic/notes.py",
        "",
        '"""Notes: an event\'s must exist, and a note says something, as briefly as a comment."""\n\n'
        "from __future__ import annotations\n\n"
        "import uuid\n"
        "from datetime import datetime\n"
        "from typing import TYPE_CHECKING\n\n"
        "from resolvers.errors import NotFound\n"
        "from resolvers.logic import validation\n"
        "from resolvers.records import NoteRecord\n\n"
        "if TYPE_CHECKING:\n"
        "    from resolvers.store import GatherStore\n\n\n"
        "def add_note(store: GatherStore, event_id: str, content: str, now: datetime) -> NoteRecord:\n"
        '    text = validation.required_text("content", content, validation.COMMENT_MAX)\n'
        "    if store.events.get(event_id) is None:\n"
        '        raise NotFound(f"Event {event_id} does not exist")\n'
        "    created = validation.to_aws_datetime(now)\n"
        "    note = NoteRecord(id=str(uuid.uuid4()), eventId=event_id, content=text, createdAt=created)\n"
        "    store.notes.put(note)\n"
        "    return note\n",
    ),
    Edit(
        "resolvers/routers/notes.py",
        "",
        '"""Query.note and Mutation.addNote."""\n\n'
        "from __future__ import annotations\n\n"
        "from resolvers.dependencies import now, store\n"
        "from resolvers.logic import notes\n"
        "from resolvers.records import NoteRecord\n"
        "from resolvers.registry import RecordingRouter\n\n"
        "router = RecordingRouter()\n\n\n"
        '@router.resolver(type_name="Query", field_name="note")\n'
        "def note(eventId: str, id: str) -> NoteRecord | None:  # noqa: N803, A002 - the GraphQL arguments\n"
        "    return store().notes.get(eventId, id)\n\n\n"
        '@router.resolver(type_name="Mutation", field_name="addNote")\n'
        "def add_note(eventId: str, content: str) -> NoteRecord:  # noqa: N803\n"
        "    return notes.add_note(store(), eventId, content, now())\n",
    ),
    Edit("resolvers/api.py", "from resolvers.routers import comments, events, ", "notes, "),
    Edit("resolvers/api.py", "ROUTERS = (", "notes.router, "),
    Edit(
        "tests/integration/test_authorization.py",
        "MATRIX: dict[str, dict[str, str]] = {\n",
        '    "note": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": ALLOW},\n'
        '    "addNote": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": DENY},\n',
    ),
    Edit(
        "tests/integration/test_authorization.py",
        "OPERATIONS: dict[str, Operation] = {\n",
        '    "note": lambda ids: ("query($e: ID!, $n: ID!) { note(eventId: $e, id: $n) { id } }",'
        ' {"e": ids["event"], "n": ids["note"]}),\n'
        '    "addNote": lambda ids: (\'mutation($e: ID!) { addNote(eventId: $e, content: "hi") { id } }\','
        ' {"e": ids["event"]}),\n',
    ),
    Edit(
        "tests/integration/test_authorization.py",
        '    ids = {"event": event, "comment": comment, "full_event": full_event}\n',
        "    add_note = 'mutation($id: ID!) { addNote(eventId: $id, content: \"mine\") { id } }'\n"
        '    ids["note"] = call("host", add_note, {"id": event})["addNote"]["id"]\n',
    ),
    Edit(
        "tests/unit/test_handler_fields.py",
        "def test_the_callers_own_profile(",
        "def test_a_note_on_an_event(lambda_api: InProcessLambda) -> None:\n"
        "    event = _create(lambda_api)\n"
        '    on = {"eventId": event["id"]}\n'
        '    added = lambda_api.call("Mutation", "addNote", {**on, "content": " Cake "}, user="ada")\n'
        '    assert added["content"] == "Cake"\n'
        '    assert lambda_api.call("Query", "note", {**on, "id": added["id"]}) == added\n'
        '    blank = lambda_api.call("Mutation", "addNote", {**on, "content": " "}, user="ada")\n'
        '    assert blank.errorType == "InvalidContent"\n\n\n',
        before=True,
    ),
    Edit(
        "tests/unit/test_store_notes.py",
        "",
        '"""resolvers/store/notes.py on moto: a note is read back as written, beside its event."""\n\n'
        "from __future__ import annotations\n\n"
        "from resolvers.records import NoteRecord\n"
        "from resolvers.store import GatherStore\n\n\n"
        "def test_a_note_reads_back_as_written(store: GatherStore) -> None:\n"
        '    note = NoteRecord(id="n1", eventId="e1", content="Cake", createdAt="2031-01-01T00:00:00Z")\n'
        "    store.notes.put(note)\n"
        '    assert store.notes.get("e1", "n1") == note\n'
        '    assert store.notes.get("e2", "n1") is None\n',
    ),
]

# A new ownership rule: only the event's host or an admin may add notes to it. One row of RULES, the check in the
# logic (which now needs the caller), and the tests that say who is refused; config.json and the SPA follow the row.
HOSTS_NOTES = [
    Edit(
        "resolvers/logic/permissions.py",
        'Action = Literal["updateEvent", "deleteEvent", "deleteComment"]\n',
        'Action = Literal["updateEvent", "deleteEvent", "deleteComment", "addNote"]\n',
        replace=True,
    ),
    Edit(
        "resolvers/logic/permissions.py",
        '    "deleteComment": Rule(("author", "host", "admin"), "delete"),\n',
        '    "addNote": Rule(("host", "admin"), "add a note to"),\n',
    ),
    Edit(
        "resolvers/logic/notes.py",
        "def add_note(store: GatherStore, event_id: str, content: str, now: datetime) -> NoteRecord:\n",
        "def add_note(store: GatherStore, caller: Caller, event_id: str, content: str, now: datetime) -> NoteRecord:\n",
        replace=True,
    ),
    Edit(
        "resolvers/logic/notes.py",
        '    if store.events.get(event_id) is None:\n        raise NotFound(f"Event {event_id} does not exist")\n',
        "    event = store.events.get(event_id)\n"
        "    if event is None:\n"
        '        raise NotFound(f"Event {event_id} does not exist")\n'
        '    permissions.require(caller, "addNote", permissions.Holders(event["hostId"]))\n',
        replace=True,
    ),
    Edit(
        "resolvers/logic/notes.py",
        "from resolvers.logic import validation\n",
        "from resolvers.identity import Caller\nfrom resolvers.logic import permissions, validation\n",
        replace=True,
    ),
    Edit(
        "resolvers/routers/notes.py",
        "notes.add_note(store(), eventId,",
        "notes.add_note(store(), signed_in_caller(router), eventId,",
        replace=True,
    ),
    Edit(
        "resolvers/routers/notes.py",
        "from resolvers.registry import RecordingRouter\n",
        "from resolvers.routers import signed_in_caller\n",
    ),
    Edit(
        "tests/integration/test_authorization.py",
        '    "addNote": {"host": ALLOW, "another": ALLOW, "admin": ALLOW, "api_key": DENY},\n',
        '    "addNote": {"host": ALLOW, "another": DENY, "admin": ALLOW, "api_key": DENY},\n',
        replace=True,
    ),
    Edit(
        "tests/unit/test_handler_fields.py",
        '    assert blank.errorType == "InvalidContent"\n',
        '    refused = lambda_api.call("Mutation", "addNote", {**on, "content": "Hi"}, user="bob")\n'
        '    assert refused.errorType == "Unauthorized"\n',
    ),
]

FOLLOW = """
    import json, os
    from moto import mock_aws
    from resolvers import dependencies, settings
    os.environ.update({settings.TABLE_NAME_VARIABLE: "scratch", settings.TOKEN_SECRET_VARIABLE: "scratch",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x"})
    from mirror.appsync_sdl import appsync_schema
    from mirror.field_accounting import field_sources, unaccounted_fields
    from resolvers.api import ROUTERS, SERVED_FIELDS
    from resolvers.identity import ADMINS_GROUP
    from spa_contract.config_json import client_config
    from tests.integration.test_authorization import fields_without_rows

    with mock_aws():
        from local_stack.tables import ensure_table
        from tests.unit.appsync_events import InProcessLambda
        ensure_table(dependencies.store().client, "scratch")
        api = InProcessLambda()
        new = {"title": "Tea", "venue": "Hall", "startsAt": "2099-06-01T18:00:00Z", "endsAt": "2099-06-01T20:00:00Z",
               "capacity": 5}

        made = api.call("Mutation", "createEvent", {"input": {**new, "tags": [" tea ", "talks"]}}, user="ada")
        read = api.call("Query", "getEvent", {"id": made["id"]})
        edit = {"id": made["id"], "expectedVersion": 1, "tags": ["cake"]}
        edited = api.call("Mutation", "updateEvent", {"input": edit}, user="ada")
        too_long = {**edit, "expectedVersion": 2, "tags": ["x" * 31]}
        refused = api.call("Mutation", "updateEvent", {"input": too_long}, user="ada")
        config = client_config(graphql_url="g", realtime_url="r", region="x", api_key="k", auth=None)

        at = [api.call("Mutation", "createEvent", {"input": {**new, "venue": venue}}, user="ada")
              for venue in ("Barn", "Garden", "Barn")]
        first = api.call("Query", "listEventsByVenue", {"venue": "Barn", "limit": 1})
        second = api.call("Query", "listEventsByVenue", {"venue": "Barn", "limit": 1, "nextToken": first["nextToken"]})

        on = {"eventId": made["id"], "content": " Bring cake "}
        note = api.call("Mutation", "addNote", on, user="ada")
        notes = {
            "read": api.call("Query", "note", {"eventId": made["id"], "id": note["id"]}),
            "added": note,
            "blank": api.call("Mutation", "addNote", {**on, "content": " "}, user="ada").errorType,
            "nowhere": api.call("Mutation", "addNote", {**on, "eventId": "nowhere"}, user="ada").errorType,
            "byAdmin": api.call("Mutation", "addNote", on, user="root", groups=(ADMINS_GROUP,))["content"],
            "byAnother": api.call("Mutation", "addNote", on, user="bob").errorType,
        }
        print(json.dumps({
            "tags": {"read": read["tags"], "edited": edited["tags"], "refused": refused.errorType},
            "editable": config["editableFields"], "errorFields": config["errorFields"],
            "barn": sorted([at[0]["id"], at[2]["id"]]),
            "pages": [[event["id"] for event in page["items"]] for page in (first, second)],
            "notes": notes, "permissions": config["permissions"],
            "unaccounted": unaccounted_fields(appsync_schema(), SERVED_FIELDS, field_sources(ROUTERS)),
            "withoutRows": fields_without_rows(),
        }))
"""


@dataclass(frozen=True)
class Made:
    """Both changes made on one scratch copy, one after the other, and what following them found."""

    root: Path
    """The scratch copy, every change made."""
    files: dict[str, list[str]]
    """Per change, the files its own diff touched."""
    followed: dict[str, Any]
    template: dict[str, Any]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Made:
    copy = scratch_copy(tmp_path_factory.mktemp("extending") / "gather")
    files = {}
    for name, edits in (("field", TAGS), ("query", BY_VENUE), ("item type", NOTES), ("ownership rule", HOSTS_NOTES)):
        copy.apply(edits)
        files[name] = copy.changed_files()
        copy.format([name for name in files[name] if name.endswith(".py")])  # as an editor does on save
        copy.commit(name)
    python_files = sorted({name for changed in files.values() for name in changed if name.endswith(".py")})
    copy.lint(python_files)
    copy.typecheck_spa()
    followed = json.loads(copy.python(FOLLOW).strip().splitlines()[-1])
    copy.pytest(
        "tests/unit/test_handler_fields.py",
        "tests/unit/test_field_accounting.py",
        "tests/test_schema_parity.py",
        "tests/spa/test_operations.py",
        "tests/spa/test_permissions.py",
        "tests/unit/test_store_notes.py",
        "tests/unit/test_key_literals.py",
    )
    return Made(copy.root, files, followed, _cdk_template(copy))


def test_a_stored_editable_field_on_event(made: Made) -> None:
    """Stored and read back as a list, edited, refused with its own errorType; in config.json, the field check
    and the deployed schema; the copy's tests pass with it."""
    assert made.followed["tags"] == {"read": ["tea", "talks"], "edited": ["cake"], "refused": "InvalidTags"}
    assert "tags" in made.followed["editable"]
    assert made.followed["errorFields"]["InvalidTags"] == "tags"
    assert made.followed["unaccounted"] == []
    (schema,) = _of(made.template, "GraphQLSchema")
    assert "tags: [String!]" in schema["Properties"]["Definition"]

    _counted(made, "field", FIELD_FILES_TODAY, f"target {FIELD_FILES_TARGET}")


LIVE_WITH_TAGS = "id title description venue startsAt endsAt timeZone capacity attendeeCount version tags"
"""What updateEvent selects here: every field of the copy's Live fragment, so onEventChanged delivers them all."""


async def test_the_field_reaches_the_form_the_page_and_live_updates(
    made: Made, browser: Browser, local_stack: RunningStack, tmp_path: Path
) -> None:
    """The copy's own `gather dev` (on the session's DynamoDB Local, in a table of its own) serves the copy's SPA to
    the session's Chromium: the form offers Tags (driven by config.json), the event page shows them, another client's
    change reaches the open page live, and the edit form holds the new value. No view was edited for it."""
    data_dir = tmp_path / "gather"
    dev = DevProcess(
        *("--port", "0", "--data-dir", str(data_dir), "--no-reload", "--quiet"),
        *("--dynamodb-endpoint", local_stack.stack.dynamodb_endpoint, "--table-name", f"extending-{uuid4().hex[:8]}"),
        environment={**os.environ, "PYTHONPATH": str(made.root)},
        cwd=made.root,
    )
    try:
        await asyncio.to_thread(dev.wait_for, READY)
        stack = json.loads((data_dir / "stack.json").read_text())
        await _follow_tags_in_the_spa(browser, stack)
    finally:
        await asyncio.to_thread(dev.stop)


async def _follow_tags_in_the_spa(browser: Browser, stack: dict[str, Any]) -> None:
    context = await browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(30_000)
    problems = PageProblems()
    watch(context, problems, origin_of(stack["realtimeUrl"]))
    try:
        page = await context.new_page()
        visitor = Visitor(context, page, problems, stack["baseUrl"])
        user = stack["demoUsers"][0]
        await visitor.goto("/new")
        await visitor.sign_in(Account(user["username"], user["password"]))
        for label, value in FORM.items():
            await page.get_by_label(label, exact=True).fill(value)
        await page.get_by_role("button", name="Create event").click()
        await expect(page.get_by_text("Event created.")).to_be_visible()
        shown = page.locator('.facts dd[data-field="tags"]')
        await expect(shown).to_have_text("tea, talks")
        await expect(page.locator(".live-state")).to_have_attribute("data-state", "live")

        token = await asyncio.to_thread(sign_in, stack, user)
        edit = {"id": page.url.rsplit("/", 1)[-1], "expectedVersion": 1, "tags": ["cake"]}
        document = f"mutation($input: UpdateEventInput!) {{ updateEvent(input: $input) {{ {LIVE_WITH_TAGS} }} }}"
        async with httpx.AsyncClient(timeout=30) as http:
            answer = await http.post(
                stack["graphqlUrl"],
                json={"query": document, "variables": {"input": edit}},
                headers={"Authorization": token},
            )
        assert answer.json()["data"]["updateEvent"]["tags"] == ["cake"], answer.text
        await expect(shown).to_have_text("cake")
        await expect(page.get_by_text("This event was just updated (tags).")).to_be_visible()

        await page.get_by_role("link", name="Edit event").click()
        await expect(page.get_by_label("Tags", exact=True)).to_have_value("cake")
    finally:
        await context.close()
    assert not problems.report(), problems.report()


FORM = {
    "Title": "Tea and talks",
    "Venue": "Hall",
    "Starts": "2031-05-02T18:30",
    "Ends": "2031-05-02T20:00",
    "Capacity": "12",
    "Tags": "tea, talks",
}
"""The new-event form as a visitor fills it; Tags is the control config.json's editableFields brought."""


def test_a_query_with_its_own_index(made: Made) -> None:
    """Paged through its index on the handler; a row in the authorization matrix; its resolver and index in
    the template; the copy's tests pass with it."""
    pages = made.followed["pages"]
    assert [len(page) for page in pages] == [1, 1]
    assert sorted(pages[0] + pages[1]) == made.followed["barn"]
    assert made.followed["withoutRows"] == []
    resolvers = [(r["Properties"]["TypeName"], r["Properties"]["FieldName"]) for r in _of(made.template, "Resolver")]
    assert ("Query", "listEventsByVenue") in resolvers
    (table,) = _of(made.template, "GlobalTable")
    assert "ByVenue" in [index["IndexName"] for index in table["Properties"]["GlobalSecondaryIndexes"]]

    _counted(made, "query", QUERY_FILES_TARGET, f"target {QUERY_FILES_TARGET}")


def test_a_new_item_type(made: Made) -> None:
    """Added and read back through the handler, refused with the errorTypes clients branch on; its resolvers in the
    template; the copy's tests (its store on moto, its field through the handler, keys spelled once) pass."""
    notes = made.followed["notes"]
    assert notes["read"] == notes["added"]
    assert notes["added"]["content"] == "Bring cake"
    assert (notes["blank"], notes["nowhere"]) == ("InvalidContent", "NotFound")
    resolvers = [(r["Properties"]["TypeName"], r["Properties"]["FieldName"]) for r in _of(made.template, "Resolver")]
    assert {("Query", "note"), ("Mutation", "addNote")} <= set(resolvers)
    (schema,) = _of(made.template, "GraphQLSchema")
    assert "type Note " in schema["Properties"]["Definition"]

    _counted(made, "item type", ITEM_TYPE_FILES_TODAY, "no target")


def test_a_new_ownership_rule(made: Made) -> None:
    """The handler refuses whom the rule leaves out and lets the rest in; config.json carries the rule, and the copy's
    SPA test (tests/spa/test_permissions.py) proves the page offers the action to exactly those callers."""
    notes = made.followed["notes"]
    assert (notes["byAnother"], notes["byAdmin"]) == ("Unauthorized", "Bring cake")
    assert made.followed["permissions"]["addNote"] == ["host", "admin"]

    _counted(made, "ownership rule", RULE_FILES_TODAY, "no target")


def _counted(made: Made, change: str, most: int, target: str) -> None:
    """Prints the files a change took; fails if it took more than ``most`` (its target, or what it took so far)."""
    files = made.files[change]
    print(f"{change}: {len(files)} files (at most {most}, {target}): {files}")
    assert len(files) <= most, f"a {change} costs more files than it did: derive, do not copy"


CDK_TEMPLATE = """
    import json, os
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from aws_cdk import App, Stack
    from aws_cdk import aws_cognito as cognito
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk.assertions import Template
    from cdk_app.graphql_api import GatherApi
    from cdk_app.paths import SCHEMA_FILE
    from cdk_app.stage import stage_from_context
    from cdk_app.table import GatherTable
    from resolvers.api import served_fields
    from resolvers.table_definition import GATHER_TABLE

    app = App()
    stage = stage_from_context(app.node)
    stack = Stack(app, "Scratch")
    handler = lambda_.Function(stack, "Handler", runtime=lambda_.Runtime.PYTHON_3_13, handler="index.handler",
                               code=lambda_.Code.from_inline("def handler(event, context):\\n    return None\\n"))
    GatherTable(stack, "Data", definition=GATHER_TABLE, stage=stage)
    GatherApi(stack, "Api", schema_file=SCHEMA_FILE, served_fields=served_fields(), handler=handler,
              user_pool=cognito.UserPool(stack, "Pool"), stage=stage)
    print(json.dumps(Template.from_stack(stack).to_json()["Resources"]))
"""


def _cdk_template(scratch: Scratch) -> dict[str, Any]:
    """The copy's table and API, synthesized by the copy's constructs: resources by logical id."""
    resources: dict[str, Any] = json.loads(scratch.python(CDK_TEMPLATE).strip().splitlines()[-1])
    return resources


def _of(template: dict[str, Any], kind: str) -> list[Any]:
    """Resources of one kind (``Resolver``, ``GlobalTable``, ``GraphQLSchema``)."""
    return [resource for resource in template.values() if resource["Type"].endswith(f"::{kind}")]
