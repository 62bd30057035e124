"""Who may do what: the one place the atlas decides it. Views, the admin, the API, exports and the CLI ask here.

Four roles, each a Django group made by this app's first migration (issue 9's table):

- contributor: submits new records and proposes edits; sees their own submissions and public data; never the
  precise point of a sensitive (generalised) site, originals, or other contributors' identities.
- editor: reviews, publishes or rejects; edits anything; sees precise points and derivatives of unpublished photos;
  does **not** download originals.
- investigator: reads everything, edits nothing; downloads originals and evidence bags (each download ledgered).
- admin: manages accounts and roles, and may do everything the others may. A Django superuser counts as an admin.

A user may hold several groups; what they may do is the union. Editors, investigators and admins must also have
signed in with a verified second factor (TOTP, django-otp) before any of their role's powers apply: until then
they get no more than a contributor's reach (`needs_two_factor`, `is_verified`).

Every capability is a function of the user (and the record, where it matters) returning a bool, so that a
template, a queryset filter and a CLI check ask the same question. `role_required` and `RoleRequiredMixin` guard
views with any of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol, TypeVar, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404, HttpRequest, HttpResponseForbidden, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.http import urlencode

CONTRIBUTOR = "contributor"
EDITOR = "editor"
INVESTIGATOR = "investigator"
ADMIN = "admin"
# Least to most powerful: `role_of` names the last one a user holds.
ROLES: tuple[str, ...] = (CONTRIBUTOR, EDITOR, INVESTIGATOR, ADMIN)
# The roles whose powers need a verified second factor (issue 9: editors, investigators and admins).
TWO_FACTOR_ROLES = frozenset({EDITOR, INVESTIGATOR, ADMIN})
# Roles that reach the Django admin (the Django `is_staff` flag follows the role: see `roles.assign_role`).
STAFF_ROLES = frozenset({EDITOR, INVESTIGATOR, ADMIN})

AnyUser = AbstractBaseUser | AnonymousUser


class _SiteLike(Protocol):
    @property
    def is_generalised(self) -> bool: ...


def roles_of(user: AnyUser | None) -> frozenset[str]:
    """The roles ``user`` holds (its groups among ROLES; a superuser also holds ADMIN), whether or not verified.
    An anonymous or inactive user holds none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_lwf_roles", None)
    if cached is None:
        names = {name for name in user.groups.values_list("name", flat=True) if name in ROLES}  # type: ignore[union-attr]
        if getattr(user, "is_superuser", False):
            names.add(ADMIN)
        cached = frozenset(names)
        user._lwf_roles = cached  # type: ignore[union-attr]
    return cast(frozenset[str], cached)


def role_of(user: AnyUser | None) -> str | None:
    """The most powerful role ``user`` holds (contributor < editor < investigator < admin), or None."""
    held = roles_of(user)
    for role in reversed(ROLES):
        if role in held:
            return role
    return None


def needs_two_factor(user: AnyUser | None) -> bool:
    """Whether ``user`` holds a role whose powers need a verified second factor."""
    return bool(roles_of(user) & TWO_FACTOR_ROLES)


def is_verified(user: AnyUser | None) -> bool:
    """Whether ``user`` signed in with a verified OTP device in this session (django-otp's `is_verified`)."""
    check = getattr(user, "is_verified", None)
    return bool(callable(check) and check())


def effective_roles(user: AnyUser | None) -> frozenset[str]:
    """The roles whose powers ``user`` may use now: those needing two factors only once a device is verified."""
    held = roles_of(user)
    if held & TWO_FACTOR_ROLES and not is_verified(user):
        return held - TWO_FACTOR_ROLES
    return held


def has_role(user: AnyUser | None, *roles: str) -> bool:
    """Whether ``user`` may now act in any of ``roles`` (admin counts for every role)."""
    held = effective_roles(user)
    return ADMIN in held or bool(held.intersection(roles))


# The capabilities. Each is what issue 9's table says, in one line.


def can_submit(user: AnyUser | None) -> bool:
    """Submit new records and propose edits to published ones: contributors, editors, admins (not investigators,
    who are read-only)."""
    return has_role(user, CONTRIBUTOR, EDITOR)


def can_review(user: AnyUser | None) -> bool:
    """Review the queue; publish, reject, accept or edit any record: editors and admins."""
    return has_role(user, EDITOR)


def can_edit_records(user: AnyUser | None) -> bool:
    """Change any record directly (the admin's change forms): editors and admins."""
    return has_role(user, EDITOR)


def can_read_everything(user: AnyUser | None) -> bool:
    """See unpublished records, drafts and the review queue (read-only for an investigator)."""
    return has_role(user, EDITOR, INVESTIGATOR)


def can_see_unpublished(user: AnyUser | None) -> bool:
    """See unpublished sites, photos (their derivatives), diaries and titles."""
    return can_read_everything(user)


def can_see_precise_location(user: AnyUser | None, site: _SiteLike | None = None) -> bool:
    """See a site's precise point: everyone when the site is not generalised, else editors, investigators and
    admins. Without a site: whether ``user`` may see precise points of sensitive sites at all."""
    if site is not None and not site.is_generalised:
        return True
    return can_read_everything(user)


def can_see_identities(user: AnyUser | None) -> bool:
    """See who contributed what (contributors' names, accounts, submitters' addresses): editors, investigators and
    admins; a contributor sees only their own (`is_own_submission`)."""
    return can_read_everything(user)


def can_see_original_hashes(user: AnyUser | None) -> bool:
    """See the SHA-256 of originals (which would let anyone holding a seized device confirm it as the source):
    investigators and admins."""
    return has_role(user, INVESTIGATOR)


def can_download_originals(user: AnyUser | None) -> bool:
    """Download originals and evidence bags (every download is ledgered): investigators and admins."""
    return has_role(user, INVESTIGATOR)


def can_manage_accounts(user: AnyUser | None) -> bool:
    """Invite people, give and take roles, deactivate accounts: admins."""
    return has_role(user, ADMIN)


def can_reach_admin(user: AnyUser | None) -> bool:
    """Use the Django admin at all (what each model shows is then up to the group's model permissions)."""
    return bool(effective_roles(user) & STAFF_ROLES)


def is_own_submission(user: AnyUser | None, submitted_by_id: int | None) -> bool:
    """Whether a record submitted by account ``submitted_by_id`` is ``user``'s own."""
    if user is None or not user.is_authenticated or submitted_by_id is None:
        return False
    return bool(user.pk == submitted_by_id)


def ledger_actor(user: AnyUser | None) -> str:
    """How the ledger names ``user``: `user:<id>`, a pseudonymous id (never a name or an address)."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"user:{user.pk}"


# Guarding views.

Capability = Callable[[Any], bool]
View = TypeVar("View", bound=Callable[..., HttpResponseBase])

TWO_FACTOR_VERIFY_URL_NAME = "editorial:two-factor-verify"


def _verify_redirect(request: HttpRequest) -> HttpResponseRedirect:
    try:
        url = reverse(TWO_FACTOR_VERIFY_URL_NAME)
    except Exception:  # the URL is not mounted (an app without accounts): fall back to the login page
        url = settings.LOGIN_URL if isinstance(settings.LOGIN_URL, str) else "/admin/login/"
    return HttpResponseRedirect(f"{url}?{urlencode({'next': request.get_full_path()})}")


def refusal(request: HttpRequest, capability: Capability, *, hide: bool = True) -> HttpResponseBase | None:
    """None when ``request.user`` has ``capability``; else the response to give: a redirect to the second-factor
    page when a verified device would grant it, else 404 (``hide``: the refused cannot learn the thing exists) or
    403."""
    user = request.user
    if capability(user):
        return None
    if needs_two_factor(user) and not is_verified(user):
        return _verify_redirect(request)
    if hide:
        raise Http404("not found")
    return HttpResponseForbidden("You may not do this with your role.")


def role_required(capability: Capability, *, hide: bool = True) -> Callable[[View], View]:
    """Guard a view with ``capability`` (one of the functions above); see `refusal` for what the refused get."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if (refused := refusal(request, capability, hide=hide)) is not None:
                return refused
            return view(request, *args, **kwargs)

        return cast(View, guarded)

    return decorate


class RoleRequiredMixin:
    """For class-based views: set ``capability`` (and ``hide_refusal``) on the view class."""

    capability: Capability = staticmethod(can_review)  # type: ignore[assignment]
    hide_refusal: bool = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (refused := refusal(request, type(self).capability, hide=self.hide_refusal)) is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]
