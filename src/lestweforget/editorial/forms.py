from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from .permissions import ADMIN, CONTRIBUTOR, EDITOR, INVESTIGATOR

ROLE_NAMES = {
    CONTRIBUTOR: _("contributor"),
    EDITOR: _("editor"),
    INVESTIGATOR: _("investigator"),
    ADMIN: _("admin"),
}
ROLE_CHOICES = [
    (CONTRIBUTOR, _("contributor: submits records and proposes edits")),
    (EDITOR, _("editor: reviews and publishes; no originals")),
    (INVESTIGATOR, _("investigator: reads everything; downloads originals and evidence bags")),
    (ADMIN, _("admin: manages accounts and roles")),
]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=[("en", _("English")), ("uk", _("Ukrainian"))]
    )


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Six-digit code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form with its field labelled in words: Django's own Ukrainian catalogue leaves "Email" in English."""

    email = forms.EmailField(
        label=_("E-mail address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
