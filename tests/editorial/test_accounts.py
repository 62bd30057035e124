"""Accounts: an admin invites by e-mail (web and `lwf invite`, one function), the link sets a first password once,
password resets go by e-mail, and the e-mail backend comes from LWF_EMAIL_URL."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from accounts import account, sign_in
from lestweforget.atlas.evidence_records import open_ledger
from lestweforget.cli import main
from lestweforget.editorial import permissions
from lestweforget.editorial.accounts import AccountError, invite
from lestweforget.settings import _email_settings

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Pine forest by the cemetery 2022"


@pytest.fixture(autouse=True)
def evidence_dir(settings: object, tmp_path: object) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"  # type: ignore[attr-defined, operator]


def _link(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found is not None, message.body
    return found.group(0)


def test_an_admin_invites_by_email_and_the_link_sets_a_password_once(client: Client) -> None:
    admin = account("admin")
    sign_in(client, admin)
    page = client.get("/accounts/invite/")
    assert page.status_code == 200 and "<script>" not in page.content.decode()
    response = client.post(
        "/accounts/invite/", {"email": "Olena@Example.org", "role": "investigator", "language": "uk"}
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["Olena@Example.org"] and "Щоб ми не забули" in message.subject
    assert "слідчий" in message.body and "Editors" not in message.body
    link = _link(message)
    assert link.startswith("http://testserver/uk/accounts/invitation/")
    invited = User.objects.get(email__iexact="olena@example.org")
    assert permissions.roles_of(invited) == {"investigator"} and not invited.has_usable_password()
    entry = open_ledger().entries()[-1]
    assert (entry.action, entry.actor, entry.object) == ("account.invited", f"user:{admin.pk}", f"user:{invited.pk}")
    assert "olena" not in entry.to_line().decode().lower()  # the ledger names accounts by id, not address

    newcomer = Client()
    form = newcomer.get(link, follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    done = newcomer.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert User.objects.get(pk=invited.pk).check_password(NEW_PASSWORD)
    again = Client().get(link, follow=True)
    html = again.content.decode()
    assert 'name="new_password1"' not in html and "Термін дії цього посилання минув або його вже використано" in html


@pytest.mark.parametrize("role", [None, "contributor", "editor", "investigator"])
def test_only_admins_may_invite(client: Client, role: str | None) -> None:
    if role is None:
        assert client.get("/accounts/invite/").status_code == 403
    else:
        sign_in(client, account(role))
        response = client.post("/accounts/invite/", {"email": "x@example.org", "role": "admin", "language": "en"})
        assert response.status_code == 403
    assert not User.objects.filter(email="x@example.org").exists() and not mail.outbox


def test_an_unverified_admin_is_sent_to_the_second_factor_before_inviting(client: Client) -> None:
    sign_in(client, account("admin"), second_factor=False)
    response = client.get("/accounts/invite/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")


def test_bad_invitations_are_refused_naming_what_is_wrong(client: Client) -> None:
    account("editor", "ed", email="ed@example.org")
    User.objects.filter(username="ed").update(last_login="2026-01-01T00:00:00Z")
    with pytest.raises(AccountError, match="'not an address' is not an e-mail address"):
        invite("not an address", "editor", invited_by="operator:x", base_url="http://x")
    with pytest.raises(AccountError, match="'chief' is not a role"):
        invite("a@example.org", "chief", invited_by="operator:x", base_url="http://x")
    with pytest.raises(AccountError, match=re.escape("ed@example.org already has an account")):
        invite("ed@example.org", "admin", invited_by="operator:x", base_url="http://x")
    assert permissions.role_of(User.objects.get(username="ed")) == "editor" and not mail.outbox
    sign_in(client, account("admin"))
    page = client.post("/accounts/invite/", {"email": "ed@example.org", "role": "admin", "language": "en"})
    assert page.status_code == 400 and "already has an account" in page.content.decode()


def test_lwf_invite_calls_the_same_function_and_a_pending_invitation_can_be_renewed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["invite", "mykola@example.org", "--role", "editor", "--base-url", "https://atlas.example"]) == 0
    out = capsys.readouterr().out
    assert "Invited mykola@example.org as editor" in out and "https://atlas.example/accounts/invitation/" in out
    assert main(["invite", "mykola@example.org", "--role", "contributor", "--base-url", "https://atlas.example"]) == 0
    assert "Invited again" in capsys.readouterr().out
    user = User.objects.get(email="mykola@example.org")
    assert permissions.roles_of(user) == {"contributor"} and len(mail.outbox) == 2
    assert main(["invite", "nobody", "--role", "editor"]) == 2
    assert "'nobody' is not an e-mail address" in capsys.readouterr().err


def test_password_reset_by_email_in_ukrainian(client: Client) -> None:
    user = account("editor", "reset-me", email="reset@example.org")
    page = client.get("/uk/accounts/password-reset/")
    assert page.status_code == 200 and "Скинути пароль" in page.content.decode()
    assert client.post("/uk/accounts/password-reset/", {"email": "reset@example.org"}).status_code == 302
    (message,) = mail.outbox
    assert "Оберіть новий пароль" in message.body
    link = _link(message)
    form = client.get(link, follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    # No message for an address without an account, and the page does not say so either.
    assert client.post("/accounts/password-reset/", {"email": "nobody@example.org"}).status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
        (
            "smtp://atlas:p%40ss@mail.example.org:2525",
            {
                "EMAIL_HOST": "mail.example.org",
                "EMAIL_PORT": 2525,
                "EMAIL_HOST_USER": "atlas",
                "EMAIL_HOST_PASSWORD": "p@ss",
                "EMAIL_USE_TLS": False,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtp+tls://u:p@mail.example.org", {"EMAIL_PORT": 587, "EMAIL_USE_TLS": True, "EMAIL_USE_SSL": False}),
        ("smtp+ssl://u:p@mail.example.org", {"EMAIL_PORT": 465, "EMAIL_USE_TLS": False, "EMAIL_USE_SSL": True}),
    ],
)
def test_the_email_backend_comes_from_lwf_email_url(url: str, expected: dict[str, object]) -> None:
    settings = _email_settings(url)
    assert {k: settings[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.org", "use smtp://, smtp+tls:// or smtp+ssl://"),
        ("smtp://", "use smtp://"),
        ("smtp://mail.example.org:99999", "LWF_EMAIL_URL: Port out of range"),
    ],
)
def test_a_bad_email_url_is_refused_naming_it(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)):
        _email_settings(url)
