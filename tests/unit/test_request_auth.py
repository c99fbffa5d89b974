"""Which auth modes the mirror accepts comes from resolvers/api_settings.py, as CDK configures AppSync."""

from __future__ import annotations

from mirror.authorization import API_KEY, COGNITO, IAM
from mirror.request_auth import API_AUTH_MODES, RequestAuthenticator
from resolvers.api_settings import ADDITIONAL_AUTH_MODES, API_KEY_HEADER, DEFAULT_AUTH_MODE


def test_the_modes_are_the_apis_settings() -> None:
    assert API_AUTH_MODES == {DEFAULT_AUTH_MODE, *ADDITIONAL_AUTH_MODES} == {API_KEY, COGNITO, IAM}


def test_the_api_key_authenticates_only_where_the_api_key_mode_is_configured() -> None:
    headers = {API_KEY_HEADER: "da2-key"}
    assert RequestAuthenticator("da2-key", None).authenticate(headers, "10.0.0.1") is not None
    assert RequestAuthenticator("da2-wrong", None).authenticate(headers, "10.0.0.1") is None
    cognito_only = RequestAuthenticator("da2-key", None, modes=frozenset({COGNITO}))
    assert cognito_only.authenticate(headers, "10.0.0.1") is None


def test_a_token_without_a_configured_user_pool_authenticates_nobody() -> None:
    headers = {"authorization": "eyJ.token", API_KEY_HEADER: "da2-key"}
    assert RequestAuthenticator("da2-key", None).authenticate(headers, "10.0.0.1") is None
