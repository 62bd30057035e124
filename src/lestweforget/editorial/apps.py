from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    default = True
    name = "lestweforget.editorial"
    label = "editorial"
    verbose_name = _("Editorial: roles and accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_migrate

        from lestweforget.atlas import site_parts

        from . import roles

        # Models added after the groups' migration (by any app) get their permissions on the next migrate.
        post_migrate.connect(roles.grant_after_migrate, dispatch_uid="lwf-editorial-role-permissions")
        # A role given or taken in the admin's user form brings the staff and superuser flags along.
        m2m_changed.connect(
            roles.follow_groups, sender=get_user_model().groups.through, dispatch_uid="lwf-editorial-role-flags"
        )
        # The public "suggest a correction or report a site" form, on each site's page and on the atlas.
        site_parts.register_page_part(
            site_parts.PagePart("editorial-suggest", "after_sources", "editorial/suggest_part.html", _suggest_context)
        )
        site_parts.register_atlas_part(
            site_parts.AtlasPart(
                "editorial-suggest", "after_site_list", "editorial/suggest_part.html", _suggest_context
            )
        )


class EditorialAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by the editorial site: reached by role and a verified second factor, not `is_staff`."""

    default = False
    default_site = "lestweforget.editorial.admin_site.EditorialAdminSite"


def _suggest_context(request: object, site: object = None) -> dict[str, object]:
    from .suggestions import HONEYPOT_FIELD

    return {"honeypot": HONEYPOT_FIELD, "values": {}, "errors": {}}
