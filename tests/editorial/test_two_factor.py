"""Editors, investigators and admins reach the admin and the evidence only after a second factor (TOTP); the codes
here are real RFC 6238 codes from the account's device."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import PASSWORD, account, authenticator, current_code, sign_in
from lestweforget.editorial import permissions

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["editor", "investigator", "admin"])
def test_a_password_alone_does_not_reach_the_admin(client: Client, role: str) -> None:
    sign_in(client, account(role), second_factor=False)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    onward = client.get(response["Location"])
    assert onward.status_code == 302 and onward["Location"].startswith("/accounts/two-factor/")


@pytest.mark.parametrize("role", ["editor", "investigator", "admin"])
def test_a_right_code_reaches_the_admin(client: Client, role: str) -> None:
    sign_in(client, account(role))
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_the_session_stays_unverified(client: Client) -> None:
    user = account("editor")
    device = authenticator(user)
    client.force_login(user)
    wrong = str((int(current_code(device)) + 1) % 1_000_000).zfill(6)
    page = client.post("/accounts/two-factor/", {"otp_device": device.persistent_id, "otp_token": wrong})
    assert page.status_code == 200 and "errors" in page.content.decode()
    assert client.get("/admin/").status_code == 302


def test_signing_in_sends_a_role_needing_two_factors_to_the_code_page(client: Client) -> None:
    user = account("investigator")
    authenticator(user)
    response = client.post(
        "/accounts/sign-in/",
        {"username": user.username, "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"


def test_a_contributor_signs_in_with_a_password_and_never_reaches_the_admin(client: Client) -> None:
    user = account("contributor")
    response = client.post("/accounts/sign-in/", {"username": user.username, "password": PASSWORD, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/admin/").status_code == 302


def test_first_sign_in_enrols_an_authenticator_with_a_real_code(client: Client) -> None:
    user = account("editor")
    client.force_login(user)
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/accounts/two-factor/")
    assert client.get("/accounts/two-factor/?next=/admin/")["Location"].startswith("/accounts/two-factor/setup/")
    page = client.get("/accounts/two-factor/setup/?next=/admin/")
    html = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml;base64,' in html
    assert "<script>" not in html and "onclick" not in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'class="otp-secret">([A-Z2-7 ]+)<', html)
    assert secret is not None and len(secret.group(1).replace(" ", "")) >= 32
    done = client.post("/accounts/two-factor/setup/", {"otp_token": current_code(device), "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_cannot_enrol_a_second_authenticator(client: Client) -> None:
    user = account("admin")
    authenticator(user)
    client.force_login(user)
    response = client.get("/accounts/two-factor/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/?")
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_the_pages_are_in_ukrainian_too(client: Client) -> None:
    user = account("editor")
    authenticator(user)
    client.force_login(user)
    html = client.get("/uk/accounts/two-factor/").content.decode()
    assert "Second factor" not in html and 'lang="uk"' in html
    assert permissions.needs_two_factor(User.objects.get(pk=user.pk))
