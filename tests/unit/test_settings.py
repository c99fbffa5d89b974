"""Settings read once per execution environment: the nextTokens' signing key, given directly or from Secrets Manager."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from resolvers import settings


@pytest.fixture
def no_cached_secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(settings.TOKEN_SECRET_VARIABLE, raising=False)
    settings.token_secret.cache_clear()
    yield
    settings.token_secret.cache_clear()


@pytest.mark.usefixtures("no_cached_secret")
def test_on_aws_the_secret_is_read_from_secrets_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    with mock_aws():
        arn = boto3.client("secretsmanager").create_secret(Name="gather-token", SecretString="s3cr3t")["ARN"]
        monkeypatch.setenv(settings.TOKEN_SECRET_ARN_VARIABLE, arn)
        assert settings.token_secret() == b"s3cr3t"


@pytest.mark.usefixtures("no_cached_secret")
def test_a_secret_given_directly_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.TOKEN_SECRET_VARIABLE, "local")
    monkeypatch.setenv(settings.TOKEN_SECRET_ARN_VARIABLE, "arn:aws:secretsmanager:us-east-1:1:secret:none")
    assert settings.token_secret() == b"local"


@pytest.mark.usefixtures("no_cached_secret")
def test_without_either_the_function_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.TOKEN_SECRET_ARN_VARIABLE, raising=False)
    with pytest.raises(RuntimeError, match=settings.TOKEN_SECRET_ARN_VARIABLE):
        settings.token_secret()
