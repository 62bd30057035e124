"""The admin site by role: editors, investigators and admins who signed in with a second factor reach it; what each
sees there is its group's model permissions (editorial.roles). Signing in goes through the accounts pages, so the
admin has one sign-in: password, then the second factor."""

from __future__ import annotations

from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from . import permissions


class EditorialAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.can_reach_admin(request.user)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """Send the reader to the accounts' sign-in (or straight to the second factor if the password is done)."""
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        user = request.user
        if permissions.needs_two_factor(user) and not permissions.is_verified(user):
            return redirect_to_login(target, reverse(permissions.TWO_FACTOR_VERIFY_URL_NAME))
        return redirect_to_login(target, reverse("editorial:login"))
