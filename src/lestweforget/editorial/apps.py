from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "lestweforget.editorial"
    label = "editorial"
    verbose_name = _("Editorial: roles and accounts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import roles

        # Models added after the groups' migration (by any app) get their permissions on the next migrate.
        post_migrate.connect(roles.grant_after_migrate, dispatch_uid="lwf-editorial-role-permissions")
