"""The public API key's renewal: a small job, run daily by an EventBridge rule (``cdk_app/api_key_renewal.py``).

AppSync keys expire (365 days at most), and an expired key locks out every anonymous reader and the SPA. Each
run moves the key's expiry a full lifetime ahead, so it stays about a year away however long nobody deploys,
and reports how many days are left as AppSync answered them. An alarm watches that figure; a run that fails
or never happens reports nothing, which the alarm counts as trouble too.

The resolvers' handler never imports this module: it adds nothing to their cold start.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools.metrics import MetricUnit

from resolvers.api_settings import API_KEY_LIFETIME_DAYS
from resolvers.function_settings import API_KEY_RENEWAL
from resolvers.observability import logger, metrics
from resolvers.settings import API_ID_VARIABLE, API_KEY_ID_VARIABLE

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from mypy_boto3_appsync.client import AppSyncClient


def renewed_expiry(now: datetime) -> datetime:
    """A lifetime from now, rounded down to the hour as AppSync rounds expiries: inside its 365-day limit."""
    return (now + timedelta(days=API_KEY_LIFETIME_DAYS)).replace(minute=0, second=0, microsecond=0)


def renew(client: AppSyncClient, api_id: str, key_id: str, now: datetime) -> float:
    """Sets the key's expiry a lifetime ahead; returns the days it has left, from AppSync's answer."""
    answer = client.update_api_key(apiId=api_id, id=key_id, expires=int(renewed_expiry(now).timestamp()))
    expires = datetime.fromtimestamp(answer["apiKey"]["expires"], UTC)
    return (expires - now) / timedelta(days=1)


@logger.inject_lambda_context(clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, float]:
    days_left = renew(boto3.client("appsync"), os.environ[API_ID_VARIABLE], os.environ[API_KEY_ID_VARIABLE], now())
    metrics.add_metric(name=API_KEY_RENEWAL.days_left_metric, unit=MetricUnit.NoUnit, value=round(days_left, 2))
    logger.info("API key renewed", extra={"daysLeft": round(days_left, 2)})
    return {"daysLeft": days_left}


def now() -> datetime:
    return datetime.now(UTC)
