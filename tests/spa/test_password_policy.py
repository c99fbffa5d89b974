"""The password rules the SPA tells visitors are config.json's passwordPolicy, the pool's own, in words."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.api_settings import PASSWORD_POLICY
from spa_contract.config_json import client_config
from tests.spa.modules import run_spa_script

DESCRIBE = """
const { describePasswordPolicy } = await import(spa + 'password_policy.js');
console.log(JSON.stringify(describePasswordPolicy(input)));
"""


def test_the_pools_policy_in_words() -> None:
    policy = client_config(graphql_url="g", realtime_url="r", region="x", api_key="k", auth=None)["passwordPolicy"]
    assert policy["minLength"] == PASSWORD_POLICY.min_length
    words = run_spa_script(DESCRIBE, policy)
    assert words == (
        f"at least {PASSWORD_POLICY.min_length} characters with upper and lower case letters, a digit and a symbol"
    )


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        (
            {"minLength": 8, "requireLowercase": True, "requireUppercase": False, "requireDigits": True},
            "at least 8 characters with a lower case letter and a digit",
        ),
        ({"minLength": 20, "requireSymbols": True}, "at least 20 characters with a symbol"),
        ({"minLength": 6}, "at least 6 characters"),
    ],
)
def test_other_policies_read_as_they_are(policy: dict[str, Any], words: str) -> None:
    assert run_spa_script(DESCRIBE, policy) == words
