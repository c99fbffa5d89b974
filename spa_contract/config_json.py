"""/config.json: the one document the SPA learns shared facts from, the same shape locally and on AWS.

The endpoints differ per deployment (CDK passes deploy-time tokens, the local stack its loopback URLs); the
rest is read here from where each fact lives, so the SPA never repeats a limit, a field list, a policy or
who may do what.
"""

from __future__ import annotations

import types
from typing import Literal, TypedDict, Union, get_args, get_origin, get_type_hints

from resolvers.api_settings import PASSWORD_POLICY, SIGN_UP_ATTRIBUTES
from resolvers.errors import ERROR_FIELDS
from resolvers.identity import ADMINS_GROUP
from resolvers.inputs import EDITABLE_EVENT_FIELDS, EventInput
from resolvers.logic import permissions, validation
from resolvers.logic.permissions import Action, Role

FieldKind = Literal["text", "number", "list"]
"""How a form enters an input field's value: a text, a whole number, or a list of words."""


class AuthConfig(TypedDict):
    userPoolId: str
    userPoolClientId: str
    cognitoEndpoint: str
    """Where the SPA sends Cognito's own API calls (InitiateAuth, SignUp, ...)."""


class PasswordRules(TypedDict):
    minLength: int
    requireLowercase: bool
    requireUppercase: bool
    requireDigits: bool
    requireSymbols: bool


class Range(TypedDict):
    min: int
    max: int


class Limits(TypedDict):
    textMaxLength: dict[validation.TextField, int]
    """Per input field (title, venue, description, content): the most characters the API accepts."""
    capacity: Range
    pageSize: Range
    durationMaxDays: int
    """The longest an event may last, from startsAt to endsAt."""


class ClientConfig(TypedDict):
    graphqlUrl: str
    realtimeUrl: str
    region: str
    apiKey: str
    auth: AuthConfig | None
    """None where no user pool is configured: the SPA then offers no sign-in."""
    adminsGroup: str
    editableFields: list[str]
    """The fields of an event its host may change (UpdateEventInput without id and expectedVersion)."""
    editableFieldKinds: dict[str, FieldKind]
    """Each editable field's kind, from its declared input type: the SPA enters and shows a field it has no control
    of its own for by its kind alone, so a new field reaches the form and the page with no change to either."""
    limits: Limits
    permissions: dict[Action, list[Role]]
    """Mutation -> the roles that may perform it (host, author, admin): the API's ownership rules."""
    roleWords: dict[Role, str]
    """Role -> the words a refusal names it by, so the page says who may in the API's words."""
    errorFields: dict[str, str]
    """errorType -> the input field the error is about (InvalidTitle -> title), so no client reads messages."""
    passwordPolicy: PasswordRules
    signUpAttributes: list[str]
    """The user attributes a new account must give at sign-up (the pool's required ones)."""


def client_config(
    *, graphql_url: str, realtime_url: str, region: str, api_key: str, auth: AuthConfig | None
) -> ClientConfig:
    """The whole /config.json for one deployment's endpoints."""
    return {
        "graphqlUrl": graphql_url,
        "realtimeUrl": realtime_url,
        "region": region,
        "apiKey": api_key,
        "auth": auth,
        "adminsGroup": ADMINS_GROUP,
        "editableFields": list(EDITABLE_EVENT_FIELDS),
        "editableFieldKinds": {name: _kind(hint) for name, hint in get_type_hints(EventInput).items()},
        "limits": {
            "textMaxLength": dict(validation.TEXT_MAX_LENGTH),
            "capacity": {"min": validation.CAPACITY_MIN, "max": validation.CAPACITY_MAX},
            "pageSize": {"min": 1, "max": validation.PAGE_MAX},
            "durationMaxDays": validation.DURATION_MAX.days,
        },
        "permissions": {action: list(rule.roles) for action, rule in permissions.RULES.items()},
        "roleWords": dict(permissions.ROLE_WORDS),
        "errorFields": dict(ERROR_FIELDS),
        "passwordPolicy": {
            "minLength": PASSWORD_POLICY.min_length,
            "requireLowercase": PASSWORD_POLICY.require_lowercase,
            "requireUppercase": PASSWORD_POLICY.require_uppercase,
            "requireDigits": PASSWORD_POLICY.require_digits,
            "requireSymbols": PASSWORD_POLICY.require_symbols,
        },
        "signUpAttributes": list(SIGN_UP_ATTRIBUTES),
    }


def _kind(hint: object) -> FieldKind:
    """An input field's kind from its declared type (``str | None`` -> text, ``list[str] | None`` -> list)."""
    is_union = get_origin(hint) in (Union, types.UnionType)
    (declared,) = [arg for arg in get_args(hint) if arg is not type(None)] if is_union else [hint]
    if declared is str:
        return "text"
    if declared is int:
        return "number"
    if get_origin(declared) is list and get_args(declared) == (str,):
        return "list"
    raise TypeError(f"no form control enters an input field of type {hint}: give it a kind in spa_contract/config_json")
