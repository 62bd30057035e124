"""Account pages in both languages: sign in (password, then the second factor), enrol an authenticator, accept an
invitation, reset a password, and (for admins) invite someone."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.forms import OTPTokenForm

from lestweforget.atlas.views import base_url

from . import accounts, permissions, two_factor
from .forms import CodeForm, InvitationForm, PasswordResetForm


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return str(target)
    return reverse("atlas")


def _with_next(name: str, target: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': target})}"


class SignInView(auth_views.LoginView):
    """The password step; accounts whose role needs two factors go on to the code (or to enrolling a device)."""

    template_name = "editorial/sign_in.html"

    def get_success_url(self) -> str:
        target = super().get_success_url()
        user = self.request.user
        if not permissions.needs_two_factor(user):
            return target
        if two_factor.has_confirmed_device(user):
            return _with_next("editorial:two-factor-verify", target)
        return _with_next("editorial:two-factor-setup", target)


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the account's authenticator marks this session verified."""
    user = request.user
    target = _next(request)
    if not two_factor.has_confirmed_device(user):
        return HttpResponseRedirect(_with_next("editorial:two-factor-setup", target))
    if permissions.is_verified(user):
        return HttpResponseRedirect(target)
    form = OTPTokenForm(user, request, data=request.POST or None)
    devices = [(value, label) for value, label in form.fields["otp_device"].choices if value]
    if request.method == "POST" and form.is_valid():
        otp_login(request, user.otp_device)  # type: ignore[union-attr]
        return HttpResponseRedirect(target)
    return render(request, "editorial/two_factor_verify.html", {"form": form, "devices": devices, "next": target})


@never_cache
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app. Refused while the account has a confirmed one and this session is not verified
    with it: a password alone never adds a device."""
    user = request.user
    target = _next(request)
    if two_factor.has_confirmed_device(user) and not permissions.is_verified(user):
        return HttpResponseRedirect(_with_next("editorial:two-factor-verify", target))
    if two_factor.has_confirmed_device(user):
        return HttpResponseRedirect(target)
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm_device(request, device, form.cleaned_data["otp_token"]):
            messages.success(request, _("Your authenticator is set up; you are signed in with two factors."))
            return HttpResponseRedirect(target)
        form.add_error("otp_token", _("That code is not the one your authenticator shows now. Try the next one."))
    context = {
        "form": form,
        "qr": two_factor.qr_svg_data_uri(device),
        "secret": two_factor.secret_base32(device),
        "next": target,
    }
    return render(request, "editorial/two_factor_setup.html", context)


@never_cache
@sensitive_post_parameters()
@permissions.role_required(permissions.can_manage_accounts, hide=False)
def invite(request: HttpRequest) -> HttpResponse:
    """An admin invites someone by e-mail with a role (the same `accounts.invite` as `lwf invite`)."""
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = accounts.invite(
                data["email"],
                data["role"],
                invited_by=permissions.ledger_actor(request.user),
                base_url=base_url(request),
                language=data["language"],
            )
        except accounts.AccountError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.user.email})
            return redirect("editorial:invite")
    return render(request, "editorial/invite.html", {"form": form}, status=400 if form.errors else 200)


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link: the invited person chooses a password (Django's reset-link check, its own page)."""

    template_name = "editorial/invitation.html"
    success_url = reverse_lazy("editorial:invitation-done")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["role"] = permissions.role_of(self.user) if getattr(self, "user", None) else None
        return context


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "editorial/password_reset_form.html"
    form_class = PasswordResetForm
    email_template_name = "editorial/email/password_reset.txt"
    subject_template_name = "editorial/email/password_reset_subject.txt"
    success_url = reverse_lazy("editorial:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "editorial/password_reset_confirm.html"
    success_url = reverse_lazy("editorial:password-reset-complete")
