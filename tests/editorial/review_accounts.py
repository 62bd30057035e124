"""Accounts in a role, and a client signed in as one (imported by the editorial tests)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from lestweforget.editorial.roles import assign_role


def make_user(name: str, role: str) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", "a long passphrase 1")
    assign_role(user, role)
    return User.objects.get(pk=user.pk)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
