"""What a deployment derives from the saved code, as CDK derives it at synth: the records behind the served
fields, config.json, the SPA's Content-Security-Policy and the table.

``gather dev`` never imports the saved code itself: a Lambda environment of the new deployment calls
``describe`` once its handler has imported (``FunctionConfig.describe``), with the stack's endpoints, and
the answer travels back as JSON. So config.json, the CSP and the table follow a save of ``resolvers/`` or
``spa_contract/`` exactly as the code now says.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

from graphql import GraphQLInputObjectType, GraphQLObjectType, GraphQLSchema

from mirror.field_accounting import FieldSources, field_sources

if TYPE_CHECKING:
    from spa_contract.config_json import AuthConfig


DESCRIBE = "local_stack.derived.describe"
"""For ``FunctionConfig.describe``."""


class ClientEndpoints(TypedDict):
    """The deployment's side of config.json (``spa_contract.config_json.client_config``'s arguments)."""

    graphql_url: str
    realtime_url: str
    region: str
    api_key: str
    auth: AuthConfig | None


class Endpoints(ClientEndpoints):
    table_name: str


class Derived(TypedDict):
    fieldSources: FieldSources
    clientConfig: dict[str, Any]
    contentSecurityPolicy: str
    table: dict[str, Any]
    """``create_table`` arguments for the stack's table."""


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def describe(argument: str) -> Derived:
    """Called in a Lambda environment of the saved code, with ``Endpoints`` as JSON."""
    from resolvers.api import ROUTERS
    from resolvers.table_definition import GATHER_TABLE
    from spa_contract.config_json import client_config
    from spa_contract.csp import content_security_policy

    endpoints: Endpoints = json.loads(argument)
    config = client_config(
        graphql_url=endpoints["graphql_url"],
        realtime_url=endpoints["realtime_url"],
        region=endpoints["region"],
        api_key=endpoints["api_key"],
        auth=endpoints["auth"],
    )
    auth = config["auth"]
    return {
        "fieldSources": field_sources(ROUTERS),
        "clientConfig": dict(config),
        "contentSecurityPolicy": content_security_policy(
            api_origin=origin(config["graphqlUrl"]),
            realtime_origin=origin(config["realtimeUrl"]),
            cognito_endpoint=auth["cognitoEndpoint"] if auth else "",
        ),
        "table": GATHER_TABLE.create_table_arguments(endpoints["table_name"]),
    }


def differences(before: Any, after: Any, path: str = "") -> list[str]:
    """One line per value that differs between two JSON documents (``limits.capacity.max: 100000 → 500``)."""
    if isinstance(before, dict) and isinstance(after, dict):
        lines: list[str] = []
        for key in [*before, *(key for key in after if key not in before)]:
            where = f"{path}.{key}" if path else str(key)
            if key not in after:
                lines.append(f"{where}: removed")
            elif key not in before:
                lines.append(f"{where}: added ({json.dumps(after[key])})")
            else:
                lines += differences(before[key], after[key], where)
        return lines
    if before != after:
        return [f"{path}: {json.dumps(before)} → {json.dumps(after)}"]
    return []


def schema_fields(schema: GraphQLSchema) -> set[str]:
    """``Type.field`` for every field of the schema's object and input types."""
    return {
        f"{name}.{field}"
        for name, graphql_type in schema.type_map.items()
        if not name.startswith("__") and isinstance(graphql_type, GraphQLObjectType | GraphQLInputObjectType)
        for field in graphql_type.fields
    }
