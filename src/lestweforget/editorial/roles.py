"""Roles as Django groups: which model permissions each group holds, and giving a user a role.

The permissions follow one rule (`role_grants`), applied by the groups' migration and again after every migrate
(`grant_after_migrate`), so models that apps add later are covered without a migration per model. The rule is
authoritative: permissions added to a role's group by hand are taken away on the next migrate.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from .permissions import ADMIN, CONTRIBUTOR, EDITOR, INVESTIGATOR, ROLES, STAFF_ROLES

# The apps that hold the record (editors change them, investigators view them).
RECORD_APPS = frozenset({"atlas", "photos", "intake", "editorial", "register"})
# Models about people's accounts: only admins change them, and nobody else views them in the admin.
ACCOUNT_MODELS = frozenset({("auth", "user"), ("auth", "group"), ("editorial", "invitation")})
# What a contributor may do in the admin: nothing (they submit through the editorial pages).
CONTRIBUTOR_CODENAMES: frozenset[tuple[str, str]] = frozenset()


def role_grants(role: str, app_label: str, model: str, codename: str) -> bool:
    """Whether ``role``'s group holds the permission ``app_label.codename`` on ``model`` (lower-case name)."""
    if role == ADMIN:
        return True
    if (app_label, model) in ACCOUNT_MODELS or app_label not in RECORD_APPS:
        return False
    if role == EDITOR:
        return True
    if role == INVESTIGATOR:
        return codename.startswith("view_")
    if role == CONTRIBUTOR:
        return (app_label, codename) in CONTRIBUTOR_CODENAMES
    return False


def grant_role_permissions(apps: Apps | Any = global_apps) -> None:
    """Make each role's group (creating it if missing) hold exactly the permissions `role_grants` gives it.
    ``apps``: the app registry, or a migration's historical one."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    permissions = list(permission_model.objects.select_related("content_type"))
    for role in ROLES:
        group, _ = group_model.objects.get_or_create(name=role)
        granted = [
            p for p in permissions if role_grants(role, p.content_type.app_label, p.content_type.model, p.codename)
        ]
        group.permissions.set(granted)


def grant_after_migrate(**kwargs: Any) -> None:
    """post_migrate handler: keep the groups' permissions to the rule once new models' permissions exist."""
    grant_role_permissions(kwargs.get("apps") or global_apps)


def assign_role(user: AbstractUser, role: str) -> None:
    """Give ``user`` exactly ``role`` (replacing any other role group), with the Django flags that follow from it:
    staff for editors, investigators and admins, superuser for admins only. Refuses an unknown role (ValueError)."""
    if role not in ROLES:
        raise ValueError(f"{role!r} is not a role; the roles are {', '.join(ROLES)}")
    group_model = global_apps.get_model("auth", "Group")
    with transaction.atomic():
        groups = {g.name: g for g in group_model.objects.filter(name__in=ROLES)}
        missing = [r for r in ROLES if r not in groups]
        if missing:
            grant_role_permissions()
            groups = {g.name: g for g in group_model.objects.filter(name__in=ROLES)}
        user.groups.remove(*[g for name, g in groups.items() if name != role])
        user.groups.add(groups[role])
        user.is_staff = role in STAFF_ROLES
        user.is_superuser = role == ADMIN
        user.save(update_fields=["is_staff", "is_superuser"])
    if hasattr(user, "_lwf_roles"):
        del user._lwf_roles


def follow_groups(instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    """m2m_changed handler on User.groups: when an admin changes an account's groups in the admin, its Django flags
    follow the roles it now holds (staff for editor, investigator, admin; superuser only for admin), so that taking
    the admin group away takes the superuser flag with it."""
    if reverse or action not in ("post_add", "post_remove", "post_clear") or not isinstance(instance, AbstractUser):
        return
    held = set(instance.groups.filter(name__in=ROLES).values_list("name", flat=True))
    flags = {"is_staff": bool(held & STAFF_ROLES), "is_superuser": ADMIN in held}
    type(instance)._default_manager.filter(pk=instance.pk).update(**flags)
    for name, value in flags.items():
        setattr(instance, name, value)
    if hasattr(instance, "_lwf_roles"):
        del instance._lwf_roles


def role_members(role: str) -> Iterable[AbstractUser]:
    """The active accounts holding ``role`` (admins: superusers too)."""
    user_model = global_apps.get_model("auth", "User")
    members = user_model.objects.filter(is_active=True, groups__name=role)
    if role == ADMIN:
        members = members | user_model.objects.filter(is_active=True, is_superuser=True)
    return members.distinct().order_by("pk")
