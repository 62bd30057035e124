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
        from . import record_ledger

        record_ledger.connect(*record_ledger.ATLAS_MODELS)
