"""Accounts in each role, signed in; the second factor is taken as verified (its own tests are in test_roles)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from review_accounts import make_user

from lestweforget.editorial import permissions


@pytest.fixture
def second_factor_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(permissions, "is_verified", lambda user: bool(user is not None and user.is_authenticated))


@pytest.fixture(autouse=True)
def fresh_rate_limits(settings: Any) -> None:
    # Each test counts from zero, in its own process's memory: the real "limits" cache is files shared by every
    # process, the parallel test workers included (tests/editorial/test_public_suggestions.py checks the files).
    settings.CACHES = {**settings.CACHES, "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def contributor(db: None) -> User:
    return make_user("field-contributor", permissions.CONTRIBUTOR)


@pytest.fixture
def editor(db: None) -> User:
    return make_user("desk-editor", permissions.EDITOR)


@pytest.fixture
def investigator(db: None) -> User:
    return make_user("investigator", permissions.INVESTIGATOR)
