from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotosConfig(AppConfig):
    name = "lestweforget.photos"
    label = "photos"
    verbose_name = _("Photos and diaries")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lestweforget.atlas import evidence_records, record_ledger

        from . import evidence, models, pages

        record_ledger.connect(models.Photo)
        evidence_records.register_holder(evidence.PHOTO_EVIDENCE)
        pages.register()
