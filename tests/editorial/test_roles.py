"""The roles are groups made by the migration, with the model permissions issue 9's table gives each."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from lestweforget.editorial import permissions
from lestweforget.editorial.roles import assign_role

pytestmark = pytest.mark.django_db


def test_the_migration_made_the_four_role_groups() -> None:
    assert set(Group.objects.values_list("name", flat=True)) >= set(permissions.ROLES)


def test_editors_change_records_investigators_only_view_them_contributors_get_nothing() -> None:
    def codenames(role: str) -> set[str]:
        group = Group.objects.get(name=role)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}

    editor, investigator, contributor, admin = (
        codenames(r) for r in ("editor", "investigator", "contributor", "admin")
    )
    assert {"atlas.change_site", "photos.change_photo", "atlas.view_site"} <= editor
    assert "auth.change_user" not in editor and "auth.view_user" not in editor
    assert "atlas.view_site" in investigator and "photos.view_photo" in investigator
    assert not {c for c in investigator if not c.split(".")[1].startswith("view_")}
    assert "auth.view_user" not in investigator
    assert contributor == set()
    assert {"auth.change_user", "auth.add_user", "atlas.delete_site"} <= admin


def test_assigning_a_role_replaces_the_old_one_and_sets_the_staff_flags() -> None:
    user = User.objects.create_user("ola", "ola@example.org", "x")
    assign_role(user, permissions.EDITOR)
    assert permissions.roles_of(User.objects.get(pk=user.pk)) == {"editor"} and user.is_staff and not user.is_superuser
    assign_role(user, permissions.ADMIN)
    fresh = User.objects.get(pk=user.pk)
    assert permissions.roles_of(fresh) == {"admin"} and fresh.is_staff and fresh.is_superuser
    assign_role(user, permissions.CONTRIBUTOR)
    fresh = User.objects.get(pk=user.pk)
    assert permissions.role_of(fresh) == "contributor" and not fresh.is_staff and not fresh.is_superuser
    with pytest.raises(ValueError, match="'boss' is not a role"):
        assign_role(user, "boss")


def test_an_unverified_editor_has_no_more_than_a_contributors_reach() -> None:
    user = User.objects.create_user("ed", "ed@example.org", "x")
    assign_role(user, permissions.EDITOR)
    user = User.objects.get(pk=user.pk)
    assert permissions.needs_two_factor(user) and not permissions.is_verified(user)
    assert not permissions.can_review(user) and not permissions.can_see_precise_location(user)
    user.is_verified = lambda: True  # what django-otp's middleware sets once a device is verified
    assert permissions.can_review(user) and permissions.can_see_precise_location(user)
    assert not permissions.can_download_originals(user)


def test_changing_groups_in_the_admin_brings_the_flags_along() -> None:
    user = User.objects.create_superuser("chief", "chief@example.org", "x")
    user.groups.add(Group.objects.get(name="admin"))
    user.groups.remove(Group.objects.get(name="admin"))
    user.groups.add(Group.objects.get(name="investigator"))
    fresh = User.objects.get(pk=user.pk)
    assert (fresh.is_staff, fresh.is_superuser) == (True, False)
    assert permissions.roles_of(fresh) == {"investigator"}
    fresh.groups.clear()
    fresh = User.objects.get(pk=user.pk)
    assert (fresh.is_staff, fresh.is_superuser, permissions.role_of(fresh)) == (False, False, None)
