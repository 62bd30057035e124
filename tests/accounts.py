"""Accounts for tests, signed in the way people sign in: a role (editorial.roles.assign_role) and, for roles that need
it, a real TOTP code from a confirmed authenticator posted to the second-factor page.

Imported by tests (`from accounts import account, sign_in`); tests/ is on sys.path (rootdir conftest).
`client.force_login` does the password step: django-axes refuses Client.login without a request.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lestweforget.editorial import permissions
from lestweforget.editorial.roles import assign_role

PASSWORD = "a long test password"


def account(role: str | None, username: str | None = None, email: str | None = None) -> User:
    """A new active account holding ``role`` (None: signed up with no role)."""
    name = username or f"{role or 'norole'}-{User.objects.count() + 1}"
    user = User.objects.create_user(name, email or f"{name}@example.org", PASSWORD)
    if role is not None:
        assign_role(user, role)
    return User.objects.get(pk=user.pk)


def current_code(device: TOTPDevice) -> str:
    """The code the authenticator app shows now (RFC 6238, with django-otp's own TOTP)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(code).zfill(device.digits)


def authenticator(user: User) -> TOTPDevice:
    """The account's confirmed TOTP device (made on first use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def sign_in(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Sign ``user`` in on ``client``: the password step, then (for roles needing it, unless ``second_factor`` is
    False) a real code posted to the second-factor page. Returns the client."""
    client.force_login(user)
    if not (second_factor and permissions.needs_two_factor(user)):
        return client
    device = authenticator(user)
    # A code is accepted once per 30-second step (RFC 6238 §5.2): a second sign-in within the step uses a second
    # authenticator of the same account rather than wait.
    if device.last_t >= int(time.time() - device.t0) // device.step:
        device = TOTPDevice.objects.create(user=user, name="second authenticator", confirmed=True)
    response = client.post(
        "/accounts/two-factor/", {"otp_device": device.persistent_id, "otp_token": current_code(device), "next": "/"}
    )
    if response.status_code != 302:
        raise AssertionError(f"the second factor was refused for {user.username}: {response.status_code}")
    return client


def sign_in_in_browser(page: Any, server: str, user: User, password: str = PASSWORD, next: str = "/admin/") -> None:
    """Sign in through the real pages in a browser (Playwright ``page``): the admin sends to the sign-in page, the
    password, then a real code from the account's authenticator (made here if it has none)."""
    device = authenticator(user) if permissions.needs_two_factor(user) else None
    page.goto(f"{server}/admin/login/?next={next}")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    page.click("#sign-in button[type=submit]")
    if device is not None:
        page.wait_for_selector("#id_otp_token")
        device.refresh_from_db()
        page.fill("#id_otp_token", current_code(device))
        page.click("#two-factor button[type=submit]")
    page.wait_for_load_state()
    if not page.url.startswith(f"{server}{next}"):
        raise AssertionError(f"signing in ended on {page.url}: {page.inner_text('main')[:300]}")
