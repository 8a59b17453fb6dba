"""Helpers of the API's tests: tokens made as the settings page makes them, and a client
that sends one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.accounts import api_tokens


class TokenClient(Client):
    """A client that sends `Authorization: Bearer <token>` with every request."""

    def __init__(self, token: str = "", **defaults: Any) -> None:
        if token:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        super().__init__(**defaults)

    def send(self, method: str, path: str, data: Any = None, **extra: Any) -> Any:
        return getattr(self, method.lower())(path, data, content_type="application/json", **extra)


@pytest.fixture
def make_token() -> Callable[..., str]:
    def make(user: User, scopes: tuple[str, ...] = ("read", "post"), days: int = 30) -> str:
        return api_tokens.create_token(
            user=user, name="test client", scopes=list(scopes), days=days
        ).text

    return make


@pytest.fixture
def as_reader(reader: User, make_token: Callable[..., str]) -> TokenClient:
    return TokenClient(make_token(reader))


@pytest.fixture
def anyone() -> TokenClient:
    return TokenClient()
