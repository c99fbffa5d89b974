"""docs/extending.md, done once and thrown away: a query with a new type and a new item type.

The scratch ``note(id)`` query goes into a copy of schema.graphql; its key, record, store and router are
written below as the guide says to write them in ``resolvers/``, and its operation into a copy of the SPA.
The test then shows the field reaching the mirror (a query answered by the Lambda's own routers, in process,
over moto's DynamoDB), CDK (a resolver in the synthesized template), the SPA (its operation valid against the
new schema, and refused without it), and the checks that demand its rows: a resolver (parity) and the
authorization matrix. Nothing here is left in the repository.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict, cast

import boto3
import pytest
from aws_lambda_powertools.event_handler import AppSyncResolver
from aws_lambda_powertools.utilities.typing import LambdaContext
from graphql import GraphQLResolveInfo, build_schema, find_breaking_changes
from moto import mock_aws

from local_stack.tables import ensure_table
from mirror.appsync_sdl import appsync_schema, schema_text, served_schema
from mirror.authorization import API_KEY
from mirror.request_auth import Authenticated
from mirror.resolution import Batcher, RequestContext, appsync_event
from mirror.strawberry_schema import AppSyncResolution, build_mirror_schema
from resolvers.api import ROUTERS
from resolvers.registry import RecordingRouter, served
from resolvers.store import GatherStore
from resolvers.store.core import Table, read_string
from resolvers.table_definition import ItemKey
from tests.integration.test_authorization import fields_without_rows
from tests.spa.modules import SPA_DIR
from tests.spa.operations import invalid_documents, spa_documents
from tests.test_schema_parity import fields_without_resolver

# schema.graphql: the type, and the query in `type Query`.
NOTE_TYPE = '''
"""A scratch note, kept under its own key."""
type Note @aws_api_key @aws_cognito_user_pools {
  id: ID!
  text: String!
}
'''
NOTE_QUERY = "  note(id: ID!): Note @aws_api_key @aws_cognito_user_pools\n"

# single_page_app/operations.js: the document, and the createApi method that sends it.
NOTE_OPERATION = "const NOTE = 'query Note($id: ID!) { note(id: $id) { id text } }';\n"
NOTE_METHOD = "    note: (id, options) => request(NOTE, { id }, options).then((data) => data.note),\n"


# resolvers/table_definition.py: the item's key, spelled nowhere else.
def note_key(note_id: str) -> ItemKey:
    return ItemKey(f"NOTE#{note_id}", "NOTE")


# resolvers/records.py: what the store returns and the resolver answers.
class NoteRecord(TypedDict):
    id: str
    text: str


# resolvers/store/notes.py: the one module that reads and writes notes.
class NoteStore:
    def __init__(self, table: Table) -> None:
        self.table = table

    def get(self, note_id: str) -> NoteRecord | None:
        item = self.table.get(note_key(note_id))
        return None if item is None else NoteRecord(id=read_string(item, "id"), text=read_string(item, "text"))


# resolvers/routers/notes.py (and ROUTERS in resolvers/api.py): the field's resolver.
def notes_router(store: GatherStore) -> RecordingRouter:
    router = RecordingRouter()

    @router.resolver(type_name="Query", field_name="note")
    def note(id: str) -> NoteRecord | None:  # noqa: A002 - the GraphQL argument's name
        return NoteStore(store.table).get(id)

    return router


@pytest.fixture
def scratch_schema(tmp_path: Path) -> Path:
    text = schema_text()
    assert "type Query {\n" in text
    path = tmp_path / "schema.graphql"
    path.write_text(text.replace("type Query {\n", "type Query {\n" + NOTE_QUERY, 1) + NOTE_TYPE)
    return path


@pytest.fixture
def store() -> Iterator[GatherStore]:
    with mock_aws():
        client = boto3.client("dynamodb")
        ensure_table(client, "gather-scratch")
        scratch = GatherStore("gather-scratch", client)
        item = {**note_key("n1").attributes(), "id": "n1", "text": "Bring a torch"}
        client.put_item(TableName="gather-scratch", Item={name: {"S": value} for name, value in item.items()})
        yield scratch


def test_the_checks_demand_the_new_fields_rows(scratch_schema: Path) -> None:
    """Before its resolver and its authorization row exist, the parity and authorization tests fail on it."""
    schema = served_schema(scratch_schema)
    assert fields_without_resolver(schema, served(ROUTERS)) == ["Query.note"]
    assert fields_without_rows(schema) == ["note"]


@dataclass
class InProcessContext:
    aws_request_id: str = "scratch"


class InProcessLambda:
    """What the mirror's Lambda runtime does, in process: the handler, with these routers, on an AppSync event."""

    def __init__(self, routers: tuple[RecordingRouter, ...]) -> None:
        self.handler = AppSyncResolver()
        for router in routers:
            self.handler.include_router(router)

    async def invoke(self, event: dict[str, Any] | list[dict[str, Any]]) -> Any:
        return self.handler.resolve(event, cast(LambdaContext, InProcessContext()))


async def test_the_new_query_reaches_the_mirror(scratch_schema: Path, store: GatherStore) -> None:
    routers = (*ROUTERS, notes_router(store))
    fields = served(routers)
    assert fields_without_resolver(served_schema(scratch_schema), fields) == []
    lambda_ = InProcessLambda(routers)

    async def invoke(type_name: str, field_name: str, source: Any, info: GraphQLResolveInfo[Any]) -> Any:
        return await lambda_.invoke(appsync_event(info, source, info.context))

    def allow(type_name: str, field_name: str, context: Any) -> None:
        return None

    mirror = build_mirror_schema(
        appsync_schema(scratch_schema), extensions=[lambda: AppSyncResolution(fields, invoke, allow)]
    )
    sdl = build_schema(mirror.as_str())
    assert find_breaking_changes(served_schema(scratch_schema), sdl) == []
    context = RequestContext(
        headers={}, domain_name="", auth=Authenticated(API_KEY, None), invoker=lambda_, batcher=Batcher(lambda_, {})
    )
    result = await mirror.execute(
        '{ note(id: "n1") { id text } missing: note(id: "n2") { id } }', context_value=context
    )
    assert result.errors is None, result.errors
    assert result.data == {"note": {"id": "n1", "text": "Bring a torch"}, "missing": None}


def test_the_new_query_reaches_cdk(scratch_schema: Path, store: GatherStore) -> None:
    from aws_cdk import App, Stack
    from aws_cdk import aws_cognito as cognito
    from aws_cdk import aws_lambda as lambda_
    from aws_cdk.assertions import Template

    from cdk_app.graphql_api import GatherApi
    from cdk_app.stage import stage_from_context

    app = App()
    stack = Stack(app, "Scratch")
    handler = lambda_.Function(
        stack,
        "Handler",
        runtime=lambda_.Runtime.PYTHON_3_13,
        handler="index.handler",
        code=lambda_.Code.from_inline("def handler(event, context):\n    return None\n"),
    )
    GatherApi(
        stack,
        "Api",
        schema_file=scratch_schema,
        served_fields=served((*ROUTERS, notes_router(store))),
        handler=handler,
        user_pool=cognito.UserPool(stack, "Pool"),
        stage=stage_from_context(app.node),
    )
    template = Template.from_stack(stack)
    template.has_resource_properties("AWS::AppSync::Resolver", {"TypeName": "Query", "FieldName": "note"})
    (schema,) = template.find_resources("AWS::AppSync::GraphQLSchema").values()
    assert NOTE_QUERY.strip() in schema["Properties"]["Definition"]


def test_the_new_query_reaches_the_spa(scratch_schema: Path, tmp_path: Path) -> None:
    spa = tmp_path / "single_page_app"
    shutil.copytree(SPA_DIR, spa)
    operations = spa / "operations.js"
    text = operations.read_text(encoding="utf-8")
    api = "export function createApi(request) {\n  return {\n"
    assert api in text
    operations.write_text(NOTE_OPERATION + text.replace(api, api + NOTE_METHOD, 1), encoding="utf-8")
    assert "note(id: $id)" in spa_documents(spa)["note"]
    assert invalid_documents(served_schema(scratch_schema), spa) == {}
    assert list(invalid_documents(served_schema(), spa)) == ["note"]
