from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "lestweforget.intake"
    label = "intake"
    verbose_name = _("Articles into drafts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lestweforget.atlas import evidence_records, record_ledger

        from . import evidence, models

        # Editors' decisions are record edits; the import itself writes its own, more precise entries.
        record_ledger.connect(models.ProposedSite, models.ProposedEvent, models.ProposedClaim, models.ProposedLocation)
        evidence_records.register_holder(evidence.ARTICLE_EVIDENCE)
