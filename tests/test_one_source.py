"""Each shared fact is written once and read by everyone who needs it; a copy anywhere else fails here.

The SPA learns the API's facts from config.json (spa_contract.config_json); these tests check that what it is
told equals their sources, and that neither the SPA nor the Python code carries a copy of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import GraphQLInputObjectType

from mirror.appsync_sdl import served_schema
from resolvers.api_settings import PASSWORD_POLICY, SIGN_UP_ATTRIBUTES
from resolvers.errors import ERROR_FIELDS, FIELD_ERRORS, CapacityBelowAttendance
from resolvers.identity import ADMINS_GROUP
from resolvers.inputs import EDITABLE_EVENT_FIELDS, EventInput, UpdateEventInput
from resolvers.logic import validation
from spa_contract.config_json import client_config

ROOT = Path(__file__).resolve().parent.parent
SPA = ROOT / "single_page_app"
PRODUCT = ("resolvers", "mirror", "local_stack", "cdk_app", "spa_contract", "benchmarks")


def sources(*folders: str, suffix: str = ".py") -> dict[Path, str]:
    return {
        path.relative_to(ROOT): path.read_text(encoding="utf-8")
        for folder in folders
        for path in sorted((ROOT / folder).rglob(f"*{suffix}"))
    }


def holders(pattern: str, files: dict[Path, str]) -> set[str]:
    return {str(path) for path, text in files.items() if re.search(pattern, text)}


def config() -> dict[str, object]:
    return dict(client_config(graphql_url="g", realtime_url="r", region="x", api_key="k", auth=None))


def test_config_json_carries_the_apis_limits_fields_and_error_fields() -> None:
    built = client_config(graphql_url="g", realtime_url="r", region="x", api_key="k", auth=None)
    assert built["limits"]["textMaxLength"] == {
        "title": validation.TITLE_MAX,
        "venue": validation.VENUE_MAX,
        "description": validation.DESCRIPTION_MAX,
        "content": validation.COMMENT_MAX,
        "displayName": validation.DISPLAY_NAME_MAX,
    }
    assert built["signUpAttributes"] == list(SIGN_UP_ATTRIBUTES)
    assert built["limits"]["capacity"] == {"min": validation.CAPACITY_MIN, "max": validation.CAPACITY_MAX}
    assert built["limits"]["durationMaxDays"] == validation.DURATION_MAX.days
    assert built["adminsGroup"] == ADMINS_GROUP
    assert built["errorFields"] == ERROR_FIELDS
    assert built["errorFields"]["CapacityBelowAttendance"] == CapacityBelowAttendance.field == "capacity"


def test_editable_fields_are_the_update_inputs_fields() -> None:
    update = served_schema().get_type("UpdateEventInput")
    assert isinstance(update, GraphQLInputObjectType)
    assert list(EDITABLE_EVENT_FIELDS) == [name for name in update.fields if name not in ("id", "expectedVersion")]


def test_the_typed_inputs_are_the_schemas_inputs() -> None:
    """EventInput declares the editable fields once; both GraphQL inputs are built from exactly those."""
    schema = served_schema()
    for typed, name in ((EventInput, "CreateEventInput"), (UpdateEventInput, "UpdateEventInput")):
        declared = schema.get_type(name)
        assert isinstance(declared, GraphQLInputObjectType)
        assert set(typed.__annotations__) == set(declared.fields), name


def test_every_field_error_names_an_input_of_the_schema() -> None:
    schema = served_schema()
    inputs = {name for t in schema.type_map.values() if isinstance(t, GraphQLInputObjectType) for name in t.fields}
    arguments = {
        argument
        for root in (schema.query_type, schema.mutation_type)
        if root is not None
        for field in root.fields.values()
        for argument in field.args
    }
    assert set(FIELD_ERRORS) <= inputs | arguments


def test_the_spa_repeats_no_limit_and_no_group() -> None:
    spa = sources("single_page_app", suffix=".js")
    limits = {validation.TITLE_MAX, validation.VENUE_MAX, validation.DESCRIPTION_MAX, validation.COMMENT_MAX}
    limits.add(validation.CAPACITY_MAX)
    for limit in sorted(limits):
        assert holders(rf"(?<![\w.]){limit}(?![\w.])|{limit:_}", spa) == set(), limit
    assert holders(rf"['\"]{ADMINS_GROUP}['\"]", spa) == set()
    field_error_types = "|".join(ERROR_FIELDS)
    assert holders(rf"['\"]({field_error_types})['\"]", spa) == set(), "which field: config.json's errorFields"


def test_the_ownership_rules_and_the_password_rules_are_stated_once() -> None:
    """The rules themselves live in resolvers/logic/permissions.py and resolvers/api_settings.py; the SPA has only
    the words for a role or a policy and applies what config.json says (tests/spa proves it follows config)."""
    spa = sources("single_page_app", suffix=".js")
    roles = r"the event's host|the comment's author"
    assert holders(roles, spa) == {"single_page_app/permissions.js"}
    assert holders(roles, sources(*PRODUCT)) == {"resolvers/logic/permissions.py"}
    assert holders(r"\.host\?*\.id|isAdmin\b", spa) <= {
        "single_page_app/permissions.js",
        "single_page_app/auth.js",  # isAdmin: membership of config.json's adminsGroup
        "single_page_app/views/account.js",  # the "(admin)" badge
    }
    assert holders(rf"\b{PASSWORD_POLICY.min_length} characters|upper and lower case", spa) == {
        "single_page_app/password_policy.js"
    }


@pytest.mark.parametrize(
    ("pattern", "owner", "folders"),
    [
        pytest.param(r"default-src", "spa_contract/csp.py", (*PRODUCT, "tests/browser"), id="CSP"),
        pytest.param(r'"apiKey":', "spa_contract/config_json.py", PRODUCT, id="config.json"),
        pytest.param(r"us-east-1", "local_stack/local_aws.py", ("mirror", "local_stack"), id="region"),
        pytest.param(
            r"AWS_ACCESS_KEY_ID\"?\s*[:=]\s*\"|aws_access_key_id\s*=\s*\"",
            "local_stack/local_aws.py",
            ("local_stack", "mirror", "benchmarks"),
            id="keys",
        ),
        pytest.param(r"GATHER_NODE_MODULES|/ \"node_modules\"", "local_stack/local_aws.py", PRODUCT, id="npm"),
        pytest.param(r"min_length=\d|MinimumLength\": \d", "resolvers/api_settings.py", PRODUCT, id="password"),
    ],
)
def test_a_fact_is_written_in_one_place(pattern: str, owner: str, folders: tuple[str, ...]) -> None:
    assert holders(pattern, sources(*folders)) == {owner}


def test_the_benchmarks_name_a_region_only_for_their_price_list() -> None:
    """The local stack's region is local_aws's; benchmarks/costs.py names the region its prices are from."""
    assert holders(r"us-east-1", sources("benchmarks")) == {"benchmarks/costs.py"}
