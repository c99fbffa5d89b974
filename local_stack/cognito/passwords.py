"""Passwords the local pool accepts, for demo users, test users and the invitations it emails."""

from __future__ import annotations

import secrets

from resolvers.api_settings import PASSWORD_POLICY


def new_password() -> str:
    """A random password the pool accepts: one character of each class PASSWORD_POLICY requires, then random
    ones (token_urlsafe's alphabet), longer than its minimum."""
    classes = {"A": PASSWORD_POLICY.require_uppercase, "z": PASSWORD_POLICY.require_lowercase}
    classes.update({"7": PASSWORD_POLICY.require_digits, "!": PASSWORD_POLICY.require_symbols})
    required = "".join(character for character, needed in classes.items() if needed)
    return required + secrets.token_urlsafe(PASSWORD_POLICY.min_length)
