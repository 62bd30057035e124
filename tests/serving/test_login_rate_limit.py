"""django-axes on the sign-in page (where the admin sends too): after N wrong passwords the account and the address
are locked, and even the right password is refused for the cool-off, with a page that says so; then signing in works
again."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

PASSWORD = "the right long passphrase 7"
LOGIN = "/accounts/sign-in/?next=/admin/"


@pytest.fixture
def editor(db: None) -> User:
    return User.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def _sign_in(client: Client, password: str, username: str = "editor") -> object:
    return client.post(LOGIN, {"username": username, "password": password})


def test_wrong_passwords_lock_the_account_and_the_right_one_is_refused(editor: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _sign_in(client, "guess")
        assert response.status_code == 200 and "Please enter a correct username and password" in (
            response.content.decode()
        )
    locked = _sign_in(client, "guess")
    assert locked.status_code == 429
    right = _sign_in(client, PASSWORD)
    assert right.status_code == 429
    page = right.content.decode()
    assert "Signing in is locked for now" in page
    assert f"Try again in {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in page
    assert "_auth_user_id" not in client.session
    # The account is locked from another address too, and the address for another account.
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.4"), PASSWORD).status_code == 429
    assert _sign_in(client, "x", username="someone-else").status_code == 429


def test_the_lock_says_so_in_ukrainian(editor: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post("/uk" + LOGIN, {"username": "editor", "password": "guess"})
    page = client.post("/uk" + LOGIN, {"username": "editor", "password": PASSWORD}).content.decode()
    assert "Вхід тимчасово заблоковано" in page


def test_after_the_cool_off_the_right_password_signs_in(editor: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.11")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "guess")
    assert _sign_in(client, PASSWORD).status_code == 429
    # The cool-off is counted from the last failure: move every recorded attempt back past it.
    past = dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    response = _sign_in(client, PASSWORD)
    # The password step is done; an admin goes on to the second factor (enrolling one, the first time).
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/setup/?next=%2Fadmin%2F"


def test_a_right_password_before_the_limit_resets_the_count(editor: User) -> None:
    client = Client(REMOTE_ADDR="203.0.113.12")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "guess")
    assert _sign_in(client, PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "guess").status_code == 200
