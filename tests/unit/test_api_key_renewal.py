"""The API key's renewal job on moto's AppSync: it moves the key's expiry a lifetime ahead and reports the
days left as the metric the key's alarm watches."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, cast

import boto3
import pytest
from botocore.exceptions import ClientError

from mirror.lambda_environment import LocalLambdaContext
from resolvers import api_key_renewal
from resolvers.api_settings import API_KEY_LIFETIME_DAYS
from resolvers.function_settings import API_KEY_RENEWAL, METRICS_NAMESPACE, SERVICE_NAME
from resolvers.settings import API_ID_VARIABLE, API_KEY_ID_VARIABLE

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from mypy_boto3_appsync.client import AppSyncClient

REGION = "eu-west-1"


@pytest.fixture
def appsync(moto_account: None) -> AppSyncClient:
    return boto3.client("appsync", region_name=REGION)


@pytest.fixture
def key(appsync: AppSyncClient) -> Iterator[tuple[str, str]]:
    """An API whose key has five days left."""
    api_id = appsync.create_graphql_api(name="gather-test", authenticationType="API_KEY")["graphqlApi"]["apiId"]
    expires = int((datetime.now(UTC) + timedelta(days=5)).timestamp())
    key_id = appsync.create_api_key(apiId=api_id, expires=expires)["apiKey"]["id"]
    yield api_id, key_id
    appsync.delete_graphql_api(apiId=api_id)


def _expiry(appsync: AppSyncClient, api_id: str, key_id: str) -> datetime:
    (listed,) = [k for k in appsync.list_api_keys(apiId=api_id)["apiKeys"] if k["id"] == key_id]
    return datetime.fromtimestamp(listed["expires"], UTC)


def test_a_renewal_moves_the_expiry_a_lifetime_ahead_and_reports_the_days_left(
    appsync: AppSyncClient, key: tuple[str, str]
) -> None:
    now = datetime.now(UTC)
    days_left = api_key_renewal.renew(appsync, *key, now)
    expires = _expiry(appsync, *key)
    assert expires == api_key_renewal.renewed_expiry(now)
    assert expires.minute == expires.second == 0, "AppSync counts expiries in whole hours"
    assert API_KEY_LIFETIME_DAYS - 1 < days_left <= API_KEY_LIFETIME_DAYS
    assert days_left == pytest.approx((expires - now) / timedelta(days=1))
    assert expires <= now + timedelta(days=365), "AppSync refuses a key that lives longer"


def test_renewing_again_keeps_the_key_a_lifetime_away(appsync: AppSyncClient, key: tuple[str, str]) -> None:
    first = datetime.now(UTC)
    api_key_renewal.renew(appsync, *key, first)
    api_key_renewal.renew(appsync, *key, first + timedelta(hours=2))
    assert _expiry(appsync, *key) == api_key_renewal.renewed_expiry(first + timedelta(hours=2))


def test_the_handler_renews_the_configured_key_and_publishes_its_days_left(
    appsync: AppSyncClient, key: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    api_id, key_id = key
    monkeypatch.setenv(API_ID_VARIABLE, api_id)
    monkeypatch.setenv(API_KEY_ID_VARIABLE, key_id)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    context = LocalLambdaContext("renewal", time.time() + API_KEY_RENEWAL.timeout_seconds, "renewal", 128)

    answer = api_key_renewal.lambda_handler({"source": "aws.events"}, cast("LambdaContext", context))

    assert _expiry(appsync, api_id, key_id) > datetime.now(UTC) + timedelta(days=API_KEY_LIFETIME_DAYS - 1)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    (metric,) = [line for line in lines if "_aws" in line]
    (directive,) = metric["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == METRICS_NAMESPACE
    assert [m["Name"] for m in directive["Metrics"]] == [API_KEY_RENEWAL.days_left_metric]
    assert directive["Dimensions"] == [["service"]]
    assert metric["service"] == SERVICE_NAME
    assert metric[API_KEY_RENEWAL.days_left_metric] == [pytest.approx(answer["daysLeft"], abs=0.01)]


def test_a_refused_renewal_fails_the_run_and_publishes_nothing(
    key: tuple[str, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No report is what the alarm treats as breaching: a failed run must not report a healthy figure. A clock
    a year behind asks for an expiry already past, which AppSync refuses."""
    monkeypatch.setenv(API_ID_VARIABLE, key[0])
    monkeypatch.setenv(API_KEY_ID_VARIABLE, key[1])
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setattr(api_key_renewal, "now", lambda: datetime.now(UTC) - timedelta(days=API_KEY_LIFETIME_DAYS))
    context = LocalLambdaContext("renewal", time.time() + 30, "renewal", 128)
    with pytest.raises(ClientError, match="ApiKeyValidityOutOfBounds"):
        api_key_renewal.lambda_handler({}, cast("LambdaContext", context))
    assert API_KEY_RENEWAL.days_left_metric not in capsys.readouterr().out
