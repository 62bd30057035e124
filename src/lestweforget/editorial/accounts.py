"""Accounts: an admin invites someone by e-mail with a role; the invitation link (a signed, expiring token, Django's
password-reset token) lets them choose a password. The web page and `lwf invite` both call `invite`.

The ledger records who invited which account to which role, naming accounts by id, never by address.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lestweforget.atlas.evidence_records import open_ledger

from .forms import ROLE_NAMES
from .permissions import ROLES, role_of
from .roles import assign_role

LANGUAGES = ("en", "uk")


class AccountError(ValueError):
    """An invitation that cannot be made; the message names the address or role and what is wrong."""


@dataclass(frozen=True)
class Invitation:
    user: User
    link: str
    created: bool  # False: a pending invitation was sent again


def invitation_link(user: User, base_url: str, language: str = "en") -> str:
    """The absolute link with which ``user`` sets a first password; it works until a password is set or it expires
    (settings.PASSWORD_RESET_TIMEOUT)."""
    with translation.override(language):
        uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        path = reverse("editorial:invitation", kwargs={"uidb64": uidb64, "token": token})
    return base_url.rstrip("/") + path


def invite(email: str, role: str, *, invited_by: str, base_url: str, language: str = "en") -> Invitation:
    """Make an account for ``email`` with ``role`` (or renew a pending invitation) and send it the link.

    ``invited_by``: the ledger actor (`user:<id>` or the CLI operator). Raises AccountError for an invalid address,
    an unknown role or language, or an address that already has an account in use.
    """
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise AccountError(f"{email!r} is not an e-mail address") from None
    if role not in ROLES:
        raise AccountError(f"{role!r} is not a role; the roles are {', '.join(ROLES)}")
    if language not in LANGUAGES:
        raise AccountError(f"{language!r} is not a language of the atlas; use {' or '.join(LANGUAGES)}")
    if len(email) > 150:
        raise AccountError(f"{email[:40]}…: an address longer than 150 characters cannot name an account")
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first() or User.objects.filter(username__iexact=email).first()
        created = user is None
        if user is None:
            user = User.objects.create_user(username=email.lower(), email=email)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        elif user.has_usable_password() or user.last_login is not None:
            raise AccountError(
                f"{email} already has an account (role: {role_of(user) or 'none'}); change its role in the admin"
            )
        assign_role(user, role)
        link = invitation_link(user, base_url, language)
    open_ledger().append(invited_by, "account.invited", f"user:{user.pk}", {"role": role, "renewed": not created})
    with translation.override(language):
        context = {"link": link, "role": ROLE_NAMES[role], "days": _link_days()}
        subject = render_to_string("editorial/email/invitation_subject.txt", context).strip()
        body = render_to_string("editorial/email/invitation.txt", context)
    send_mail(subject, body, None, [email])
    return Invitation(user=user, link=link, created=created)


def _link_days() -> int:
    from django.conf import settings

    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86_400))
