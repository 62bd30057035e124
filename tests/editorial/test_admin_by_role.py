"""The admin by role: an investigator reads everything and changes nothing, not even through a bulk action; editors
get every action on the record but none on accounts."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from accounts import account

pytestmark = pytest.mark.django_db


def _actions_for(role: str) -> dict[str, list[str]]:
    user = account(role)
    user.is_verified = lambda: True  # type: ignore[attr-defined]  # what django-otp sets once a code was given
    request = RequestFactory().get("/admin/")
    request.user = user
    found = {}
    for model, model_admin in admin.site._registry.items():
        if model_admin.has_view_permission(request):
            found[model._meta.label] = sorted(model_admin.get_actions(request))
    return found


def test_an_investigator_is_offered_no_action_anywhere_in_the_admin() -> None:
    actions = _actions_for("investigator")
    assert "atlas.Site" in actions and "photos.Photo" in actions  # they do read these
    assert {label: names for label, names in actions.items() if names} == {}


def test_an_editor_may_publish_photos_in_bulk_but_sees_no_accounts() -> None:
    actions = _actions_for("editor")
    assert "publish_photos" in actions["photos.Photo"]
    assert "auth.User" not in actions and "auth.Group" not in actions
