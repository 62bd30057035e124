from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "lestweforget.atlas"
    label = "atlas"
    verbose_name = _("Atlas")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every edit or deletion of a record becomes a ledger entry, whichever door it came through.
        from django.apps import apps

        from . import page_cache, record_ledger
        from .validators import require_plain_text

        record_ledger.connect(*record_ledger.ATLAS_MODELS)
        # Every model of every app of the project is loaded by now: no text field of any may hold a control
        # character, and a change to what any of them shows clears the kept public pages.
        project_models = [
            model for model in apps.get_models() if model._meta.app_config.name.startswith("lestweforget.")
        ]
        require_plain_text(project_models)
        page_cache.connect(project_models)
