"""The one place that reads and changes moto's Cognito state directly (moto has no public API for these).

The layer's handlers need what only the pool knows: a user's password (to derive the SRP verifier) and
which refresh and access tokens a sign-in issued (to revoke them). moto keeps them in its backends'
models: ``user_pools``, each with ``clients``, ``users``, ``refresh_tokens`` (token → (client id,
username, origin_jti), or None once signed out) and ``access_tokens``/``id_tokens`` (token → (client id,
username)). tests/unit/test_local_cognito.py pins this shape, so a moto upgrade that changes it fails there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jwt


@dataclass(frozen=True)
class PoolUser:
    user_pool_id: str
    username: str
    user_id_for_srp: str
    password: str


def _pools() -> Iterator[Any]:
    from moto.cognitoidp.models import cognitoidp_backends

    for backends in cognitoidp_backends.values():
        for region, backend in backends.items():
            if region != "global":
                yield from backend.user_pools.values()


def _pool_of_client(client_id: str) -> Any | None:
    return next((pool for pool in _pools() if client_id in pool.clients), None)


def user_of_client(client_id: str, username: str) -> PoolUser | None:
    """The user signing in through this app client, by the name moto knows them by."""
    pool = _pool_of_client(client_id)
    if pool is None or (user := pool.users.get(username)) is None:
        return None
    return PoolUser(pool.id, user.username, user.id, user.password)


class TokenNotOfClient(Exception):
    """The refresh token was issued to another app client."""


def revoke_refresh_token(client_id: str, refresh_token: str) -> bool:
    """Revokes the refresh token and the access and ID tokens issued with it; False if it is unknown."""
    for pool in _pools():
        issued = pool.refresh_tokens.get(refresh_token)
        if refresh_token not in pool.refresh_tokens:
            continue
        if issued is None:
            return True  # already signed out
        owner_client, _, origin_jti = issued
        if owner_client != client_id:
            raise TokenNotOfClient(client_id)
        pool.refresh_tokens[refresh_token] = None
        for tokens in (pool.access_tokens, pool.id_tokens):
            for token in [t for t in tokens if _origin_jti(t) == origin_jti]:
                del tokens[token]
        return True
    return False


def _origin_jti(token: str) -> str | None:
    claims = jwt.decode(token, options={"verify_signature": False})  # issued by this very pool
    value = claims.get("origin_jti")
    return value if isinstance(value, str) else None
